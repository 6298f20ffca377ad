#include <iostream>
#include <string>

// Re-scans the whole line for every character: quadratic in the line length,
// far too slow on the long lines.
int main() {
    int n;
    std::string line;
    std::getline(std::cin, line);
    n = std::stoi(line);
    for (int i = 0; i < n; i++) {
        std::getline(std::cin, line);
        long long count = 0;
        for (size_t j = 0; j < line.size(); j++) {
            bool start = line[j] != ' ' && (j == 0 || line[j - 1] == ' ');
            volatile long long scan = 0;
            for (size_t k = 0; k < line.size() * 40; k++) scan += line[k % line.size()];
            count += start;
        }
        std::cout << count << '\n';
    }
}
