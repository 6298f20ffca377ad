// Reads the radii into a vector, then prints one too many: at(n) throws
// std::out_of_range, uncaught, so the program aborts.
#include <cmath>
#include <cstdio>
#include <vector>

int main() {
    const double pi = std::acos(-1.0);
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    std::vector<double> radii(n);
    for (int i = 0; i < n; i++) std::scanf("%lf", &radii[i]);
    for (int i = 0; i <= n; i++) std::printf("%.9f\n", pi * radii.at(i) * radii.at(i));
    return 0;
}
