// Two halves (the second one larger for odd N).
#include <cstdio>
int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 1;
    long long a = n / 2;
    std::printf("%lld %lld\n", a, n - a);
}
