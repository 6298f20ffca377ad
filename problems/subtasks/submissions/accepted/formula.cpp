// n(n+1)/2 needs 120 bits for n = 10^18: unsigned __int128, printed by hand.
#include <cstdio>
#include <string>

int main() {
    unsigned long long n;
    if (scanf("%llu", &n) != 1) return 1;
    unsigned __int128 a = n, b = n + 1;
    if (a % 2 == 0) a /= 2; else b /= 2;
    unsigned __int128 s = a * b;
    std::string digits;
    do { digits.insert(digits.begin(), char('0' + int(s % 10))); s /= 10; } while (s > 0);
    printf("%s\n", digits.c_str());
}
