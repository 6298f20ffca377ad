// Binary search over 1..1000: at most 10 guesses.
#include <iostream>
#include <string>

int main() {
    int lo = 1, hi = 1000;
    std::string reply;
    while (true) {
        int guess = (lo + hi) / 2;
        std::cout << guess << std::endl;  // endl flushes
        if (!(std::cin >> reply) || reply == "correct") return 0;
        if (reply == "lower") hi = guess - 1;
        else lo = guess + 1;
    }
}
