class Solution {
    public String reverseWords(String s) {
        List<String> words = new ArrayList<>();
        for (String w : s.trim().split(" +")) if (!w.isEmpty()) words.add(w);
        Collections.reverse(words);
        return String.join(" ", words);
    }
}
