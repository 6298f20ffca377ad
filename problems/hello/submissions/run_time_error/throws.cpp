// Looks up a greeting that is not in the table: std::out_of_range, uncaught,
// so std::terminate aborts (SIGABRT).
#include <iostream>
#include <string>
#include <vector>

int main() {
    std::vector<std::string> greetings = {"Hello, World!"};
    std::size_t language = greetings.size();  // off by one
    std::cout << greetings.at(language) << "\n";
    return 0;
}
