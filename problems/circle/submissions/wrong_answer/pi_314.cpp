// Uses pi = 3.14: relative error 5e-4.
#include <cstdio>

int main() {
    const double pi = 3.14;
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; i++) {
        double r;
        std::scanf("%lf", &r);
        std::printf("%.6f\n", pi * r * r);
    }
    return 0;
}
