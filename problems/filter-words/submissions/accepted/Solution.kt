class Solution {
    fun filterWords(words: Array<String>, letter: Char, ignoreCase: Boolean): Array<String> =
        words.filter { it.isNotEmpty() && it[0].equals(letter, ignoreCase) }.toTypedArray()
}
