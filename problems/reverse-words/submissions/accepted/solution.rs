impl Solution {
    pub fn reverse_words(s: String) -> String {
        let words: Vec<&str> = s.split_ascii_whitespace().rev().collect();
        words.join(" ")
    }
}
