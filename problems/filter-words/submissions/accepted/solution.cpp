class Solution {
public:
    vector<string> filterWords(vector<string>& words, char letter, bool ignoreCase) {
        vector<string> out;
        for (const string& w : words) {
            if (w.empty()) continue;
            bool match = ignoreCase ? tolower(w[0]) == tolower(letter) : w[0] == letter;
            if (match) out.push_back(w);
        }
        return out;
    }
};
