// An infinite loop with a side effect, so the compiler cannot remove it.
#include <cstdio>

int main() {
    volatile unsigned long long counter = 0;
    while (true) {
        counter = counter + 1;
    }
    std::puts("Hello, World!");
    return 0;
}
