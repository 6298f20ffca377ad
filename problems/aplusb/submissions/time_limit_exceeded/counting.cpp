// Adds by counting one at a time: hopeless for |b| up to 10^18.
// volatile keeps the compiler from turning the loops back into a + b.
#include <cstdio>

int main() {
    int t;
    if (std::scanf("%d", &t) != 1) return 1;
    while (t--) {
        long long a0, b0;
        std::scanf("%lld %lld", &a0, &b0);
        volatile long long a = a0, b = b0;
        while (b > 0) { a = a + 1; b = b - 1; }
        while (b < 0) { a = a - 1; b = b + 1; }
        std::printf("%lld\n", (long long)a);
    }
    return 0;
}
