// Output validator for "Add Up": any two positive integers summing to N.
// Invoked as: validator input answer feedback_dir/ [flags...] < team_output
// Exit 42: accepted, 43: wrong answer, anything else: judge error.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

static std::string feedback_dir;

static void message(const char *file, const std::string &text) {
    std::ofstream out(feedback_dir + file, std::ios::app);
    out << text << "\n";
}

static void wrong(const std::string &team, const std::string &judge) {
    message("teammessage.txt", team);
    message("judgemessage.txt", judge);
    std::exit(43);
}

static void judge_error(const std::string &why) {
    std::fprintf(stderr, "%s\n", why.c_str());
    std::exit(1);
}

// A decimal number of at most 19 digits, without sign.
static bool parse(const std::string &token, unsigned long long &value) {
    if (token.empty() || token.size() > 19) return false;
    value = 0;
    for (char c : token) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        value = value * 10 + static_cast<unsigned long long>(c - '0');
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc < 4) judge_error("usage: validator input answer feedback_dir/");
    feedback_dir = argv[3];

    std::ifstream input(argv[1]);
    unsigned long long n = 0;
    std::string token;
    if (!(input >> token) || !parse(token, n) || n < 2) judge_error("bad input file");

    // The judge's answer must itself be valid, or the test data is broken.
    std::ifstream answer(argv[2]);
    std::string a_token, b_token;
    unsigned long long ja = 0, jb = 0;
    if (!(answer >> a_token >> b_token) || !parse(a_token, ja) || !parse(b_token, jb) ||
        ja == 0 || jb == 0 || ja + jb != n)
        judge_error("the judge's answer is not a valid pair");

    std::string first, second, extra;
    if (!(std::cin >> first)) wrong("no output", "team output is empty");
    if (!(std::cin >> second)) wrong("expected two numbers, found one", "only one token: " + first);
    if (std::cin >> extra) wrong("expected exactly two numbers", "extra token: " + extra);
    unsigned long long a = 0, b = 0;
    if (!parse(first, a) || !parse(second, b))
        wrong("the output must be two positive integers", "not integers: " + first + " " + second);
    if (a == 0 || b == 0) wrong("both numbers must be positive", "zero in " + first + " " + second);
    if (a > n || b > n || a + b != n)
        wrong("the two numbers do not add up to N",
              first + " + " + second + " != " + std::to_string(n));
    message("judgemessage.txt", "accepted " + first + " + " + second + " = " + std::to_string(n));
    return 42;
}
