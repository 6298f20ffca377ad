function filterWords(words: string[], letter: string, ignoreCase: boolean): string[] {
    if (ignoreCase) return words.filter((w) => w.length > 0 && w[0].toLowerCase() === letter.toLowerCase());
    return words.filter((w) => w[0] === letter);
};
