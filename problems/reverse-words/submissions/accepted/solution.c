char* reverseWords(char* s) {
    size_t n = strlen(s), len = 0;
    char *out = malloc(n + 1);
    /* Walk the words from the last one. */
    for (long long end = (long long)n; end > 0;) {
        while (end > 0 && s[end - 1] == ' ') end--;
        long long start = end;
        while (start > 0 && s[start - 1] != ' ') start--;
        if (start == end) break;
        if (len) out[len++] = ' ';
        memcpy(out + len, s + start, end - start);
        len += end - start;
        end = start;
    }
    out[len] = 0;
    return out;
}
