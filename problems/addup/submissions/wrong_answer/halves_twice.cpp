// N/2 twice: wrong for odd N (the first sample is 5).
#include <cstdio>
int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 1;
    std::printf("%lld %lld\n", n / 2, n / 2);
}
