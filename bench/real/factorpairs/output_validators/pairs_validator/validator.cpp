// Output validator for "Factor Pairs": for each N of the input, a pair
// a b with a, b > 1 and a * b = N, in order.
// Invoked as: validator input answer feedback_dir/ [flags...] < team_output
// Exit 42: accepted, 43: wrong answer, anything else: judge error.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

static std::string feedback_dir;

static void wrong(const std::string &why) {
    std::ofstream(feedback_dir + "teammessage.txt") << why << "\n";
    std::exit(43);
}

// A decimal number of at most 18 digits, without sign.
static bool parse(const std::string &token, unsigned long long &value) {
    if (token.empty() || token.size() > 18) return false;
    value = 0;
    for (char c : token) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned long long>(c - '0');
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: validator input answer feedback_dir/\n");
        return 1;
    }
    feedback_dir = argv[3];
    std::ifstream input(argv[1]);
    unsigned long long q = 0;
    if (!(input >> q) || q == 0) {
        std::fprintf(stderr, "bad input file\n");
        return 1;
    }
    for (unsigned long long i = 1; i <= q; i++) {
        unsigned long long n = 0;
        if (!(input >> n)) {
            std::fprintf(stderr, "bad input file: fewer than q numbers\n");
            return 1;
        }
        std::string first, second;
        if (!(std::cin >> first >> second)) wrong("too few numbers: pair " + std::to_string(i) + " is missing");
        unsigned long long a = 0, b = 0;
        if (!parse(first, a) || !parse(second, b)) wrong("pair " + std::to_string(i) + " is not two integers");
        if (a < 2 || b < 2) wrong("pair " + std::to_string(i) + ": both factors must be greater than 1");
        if (static_cast<unsigned __int128>(a) * b != n)
            wrong("pair " + std::to_string(i) + ": " + first + " * " + second + " != " + std::to_string(n));
    }
    std::string extra;
    if (std::cin >> extra) wrong("more output than q pairs");
    return 42;
}
