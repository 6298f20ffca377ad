char** filterWords(char** words, int wordsSize, char letter, bool ignoreCase, int* returnSize) {
    char **out = malloc(sizeof(char *) * (wordsSize + 1));
    int n = 0;
    for (int i = 0; i < wordsSize; i++) {
        char first = words[i][0];
        if (!first) continue;
        bool match = ignoreCase ? tolower((unsigned char)first) == tolower((unsigned char)letter)
                                : first == letter;
        if (match) out[n++] = words[i];
    }
    *returnSize = n;
    return out;
}
