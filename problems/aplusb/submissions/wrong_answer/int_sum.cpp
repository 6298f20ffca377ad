// Reads 64-bit numbers but keeps the sum in an int: overflows.
#include <iostream>

int main() {
    std::ios::sync_with_stdio(false);
    int t;
    std::cin >> t;
    while (t--) {
        long long a, b;
        std::cin >> a >> b;
        int sum = a + b;
        std::cout << sum << '\n';
    }
    return 0;
}
