// C++20: std::views::iota and std::ranges; compiled with the default C++.
#include <cstdint>
#include <iostream>
#include <ranges>

int main() {
    std::int64_t n, x;
    std::cin >> n >> x;
    std::int64_t r = 0;
    for ([[maybe_unused]] auto i : std::views::iota(std::int64_t{0}, n)) {
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF;
        r ^= x;
    }
    std::cout << r << '\n';
}
