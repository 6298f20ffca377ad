#include <iostream>
#include <string>
#include "count.h"

int main() {
    std::ios::sync_with_stdio(false);
    int n;
    std::string line;
    std::getline(std::cin, line);
    n = std::stoi(line);
    for (int i = 0; i < n; i++) {
        std::getline(std::cin, line);
        std::cout << count_words(line) << '\n';
    }
}
