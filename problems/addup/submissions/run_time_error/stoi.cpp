// std::stoi throws out_of_range for N above 2^31 - 1: abort, SIGABRT.
#include <iostream>
#include <string>
int main() {
    std::string s;
    std::cin >> s;
    int n = std::stoi(s);
    std::cout << 1 << " " << n - 1 << "\n";
}
