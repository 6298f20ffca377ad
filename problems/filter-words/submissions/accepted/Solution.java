class Solution {
    public String[] filterWords(String[] words, char letter, boolean ignoreCase) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.isEmpty()) continue;
            char c = w.charAt(0);
            if (ignoreCase ? Character.toLowerCase(c) == Character.toLowerCase(letter) : c == letter) out.add(w);
        }
        return out.toArray(new String[0]);
    }
}
