// Guesses once, reads the reply, then crashes (uncaught exception: abort).
#include <iostream>
#include <string>
#include <vector>

int main() {
    std::cout << 500 << std::endl;
    std::string reply;
    std::cin >> reply;
    std::vector<int> none;
    return none.at(reply.size());
}
