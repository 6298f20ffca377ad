#include "count.h"
#include <sstream>

int count_words(const std::string& line) {
    std::istringstream words(line);
    std::string word;
    int count = 0;
    while (words >> word) count++;
    return count;
}
