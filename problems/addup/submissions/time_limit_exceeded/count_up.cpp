// Counts up to N/2 one at a time (volatile, so it is not optimised away).
#include <cstdio>
int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 1;
    volatile long long a = 0;
    while (a < n / 2) a = a + 1;
    std::printf("%lld %lld\n", (long long)a, n - a);
}
