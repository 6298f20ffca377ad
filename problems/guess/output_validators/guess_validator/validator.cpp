// Interactive validator for "Guess the Number".
// Invoked as: validator input answer feedback_dir/ [flags...]
// Its stdout is the submission's stdin and its stdin the submission's stdout.
// The secret number is the input file's only token.
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
    long secret = 0;
    if (!(input >> secret) || secret < 1 || secret > 1000) {
        std::fprintf(stderr, "bad input file: the secret must be between 1 and 1000\n");
        return 1;
    }
    std::ifstream answer(argv[2]);
    long expected = 0;
    if (answer >> expected && expected != secret) {
        std::fprintf(stderr, "the answer file (%ld) does not match the input (%ld)\n", expected, secret);
        return 1;
    }
    for (int guesses = 1; guesses <= 10; guesses++) {
        std::string token;
        if (!(std::cin >> token)) {
            wrong("the output ended after " + std::to_string(guesses - 1) + " guesses");
        }
        if (token.empty() || token.size() > 4 || token.find_first_not_of("0123456789") != std::string::npos) {
            wrong("guess " + std::to_string(guesses) + " is not a number between 1 and 1000");
        }
        long guess = std::stol(token);
        if (guess < 1 || guess > 1000) {
            wrong("guess " + std::to_string(guesses) + " is not a number between 1 and 1000");
        }
        if (guess == secret) {
            std::cout << "correct" << std::endl;
            return 42;
        }
        std::cout << (secret < guess ? "lower" : "higher") << std::endl;
    }
    wrong("the number was not found in 10 guesses");
}
