// Trial division up to the smallest factor.
#include <cstdio>

int main() {
    int q;
    if (std::scanf("%d", &q) != 1) return 1;
    for (int i = 0; i < q; i++) {
        unsigned long long n;
        std::scanf("%llu", &n);
        unsigned long long d = 2;
        while (d * d <= n && n % d != 0) d++;
        if (d * d > n) d = n;  // prime: not in the data
        std::printf("%llu %llu\n", d, n / d);
    }
    return 0;
}
