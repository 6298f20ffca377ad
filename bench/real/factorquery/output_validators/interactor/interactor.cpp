// Interactor for "Factor Query".
// Invoked as: validator input answer feedback_dir/ [flags...]
// Its stdout is the submission's stdin and its stdin the submission's stdout.
// The input file: q, then q composite numbers, asked one at a time.
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
    std::cout << q << std::endl;
    for (unsigned long long i = 1; i <= q; i++) {
        unsigned long long n = 0;
        if (!(input >> n)) {
            std::fprintf(stderr, "bad input file: fewer than q numbers\n");
            return 1;
        }
        std::cout << n << std::endl;
        long long a = 0, b = 0;
        if (!(std::cin >> a >> b)) wrong("no pair for query " + std::to_string(i));
        if (a < 2 || b < 2) wrong("query " + std::to_string(i) + ": both factors must be greater than 1");
        if (static_cast<unsigned __int128>(a) * static_cast<unsigned long long>(b) != n)
            wrong("query " + std::to_string(i) + ": the pair's product is not " + std::to_string(n));
    }
    return 42;
}
