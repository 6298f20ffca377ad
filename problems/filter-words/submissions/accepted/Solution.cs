public class Solution {
    public string[] FilterWords(string[] words, char letter, bool ignoreCase) {
        if (ignoreCase) {
            return words.Where(w => w.Length > 0 && char.ToLowerInvariant(w[0]) == char.ToLowerInvariant(letter)).ToArray();
        }
        return words.Where(w => w.Length > 0 && w[0] == letter).ToArray();
    }
}
