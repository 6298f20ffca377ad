// The judge's driver: reads the pairs and calls the submission's add().
#include <cstdio>

long long add(long long a, long long b);

int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; i++) {
        long long a, b;
        if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
        std::printf("%lld\n", add(a, b));
    }
}
