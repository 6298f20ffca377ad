#include <cstdio>

int main() {
    int t;
    if (std::scanf("%d", &t) != 1) return 1;
    while (t--) {
        long long a, b;
        std::scanf("%lld %lld", &a, &b);
        std::printf("%lld\n", a + b);
    }
    return 0;
}
