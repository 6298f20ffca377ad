// Trial division per query, flushed after each answer.
#include <cstdio>

int main() {
    int q;
    if (std::scanf("%d", &q) != 1) return 1;
    for (int i = 0; i < q; i++) {
        unsigned long long n;
        if (std::scanf("%llu", &n) != 1) return 1;
        unsigned long long d = 2;
        while (d * d <= n && n % d != 0) d++;
        if (d * d > n) d = n;
        std::printf("%llu %llu\n", d, n / d);
        std::fflush(stdout);
    }
    return 0;
}
