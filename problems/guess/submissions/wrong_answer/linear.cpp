// Tries 1, 2, 3, ...: more than 10 guesses for most secrets.
#include <iostream>
#include <string>

int main() {
    std::string reply;
    for (int guess = 1; guess <= 1000; guess++) {
        std::cout << guess << std::endl;
        if (!(std::cin >> reply) || reply == "correct") break;
    }
}
