// Wrong: a 32-bit sum overflows on the large secret cases.
#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int sum = 0;
    for (int i = 0; i < n; i++) {
        int a;
        scanf("%d", &a);
        sum += a;
    }
    printf("%d\n", sum);
}
