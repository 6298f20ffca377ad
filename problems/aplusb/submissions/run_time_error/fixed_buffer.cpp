// Stores the sums in a buffer sized for 1000 pairs, checked with at():
// std::out_of_range on larger inputs, uncaught, so the program aborts.
#include <cstdio>
#include <vector>

int main() {
    int t;
    if (std::scanf("%d", &t) != 1) return 1;
    std::vector<long long> sums(1000);
    for (int i = 0; i < t; i++) {
        long long a, b;
        std::scanf("%lld %lld", &a, &b);
        sums.at(i) = a + b;
    }
    for (int i = 0; i < t; i++) std::printf("%lld\n", sums.at(i));
    return 0;
}
