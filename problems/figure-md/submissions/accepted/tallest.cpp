#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long best = 0;
    for (int i = 0; i < n; i++) {
        long long h;
        scanf("%lld", &h);
        if (i == 0 || h > best) best = h;
    }
    printf("%lld\n", best);
}
