class Solution {
public:
    string reverseWords(string s) {
        istringstream in(s);
        vector<string> words;
        for (string w; in >> w;) words.push_back(w);
        string out;
        for (int i = (int)words.size() - 1; i >= 0; i--) {
            if (!out.empty()) out += ' ';
            out += words[i];
        }
        return out;
    }
};
