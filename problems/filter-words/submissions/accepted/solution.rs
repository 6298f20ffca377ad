impl Solution {
    pub fn filter_words(words: Vec<String>, letter: char, ignore_case: bool) -> Vec<String> {
        words
            .into_iter()
            .filter(|w| match w.chars().next() {
                Some(first) if ignore_case => first.eq_ignore_ascii_case(&letter),
                Some(first) => first == letter,
                None => false,
            })
            .collect()
    }
}
