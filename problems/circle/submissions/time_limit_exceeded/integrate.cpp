// Integrates the circle numerically with 10^6 strips per radius:
// fine for a few radii, hopeless for 2*10^4 of them (2*10^10 square roots).
#include <cmath>
#include <cstdio>

int main() {
    const int steps = 1000000;
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    for (int k = 0; k < n; k++) {
        double r;
        std::scanf("%lf", &r);
        double h = 2 * r / steps, total = 0;
        for (int i = 0; i < steps; i++) {
            double x = -r + (i + 0.5) * h;
            total += 2 * std::sqrt(std::fmax(r * r - x * x, 0.0)) * h;
        }
        std::printf("%.9f\n", total);
    }
    return 0;
}
