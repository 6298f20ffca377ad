// The sum can reach 1e14, so it is kept in a 64-bit integer.
#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long sum = 0;
    for (int i = 0; i < n; i++) {
        long long a;
        scanf("%lld", &a);
        sum += a;
    }
    printf("%lld\n", sum);
}
