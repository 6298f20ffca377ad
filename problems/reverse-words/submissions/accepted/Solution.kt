class Solution {
    fun reverseWords(s: String): String =
        s.trim().split(Regex(" +")).filter { it.isNotEmpty() }.reversed().joinToString(" ")
}
