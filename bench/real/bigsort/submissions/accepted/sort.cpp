// Read, sort, take the median, count the distinct values.
#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    std::vector<long long> v(n);
    for (auto &x : v) std::scanf("%lld", &x);
    std::sort(v.begin(), v.end());
    long long median = v[(n + 1) / 2 - 1];
    long long distinct = std::unique(v.begin(), v.end()) - v.begin();
    std::printf("%lld\n%lld\n", distinct, median);
    return 0;
}
