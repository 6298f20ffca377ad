class Solution:
    def filterWords(self, words: List[str], letter: str, ignoreCase: bool) -> List[str]:
        if ignoreCase:
            return [w for w in words if w[:1].lower() == letter.lower()]
        return [w for w in words if w[:1] == letter]
