class Solution:
    def filterWords(self, words: List[str], letter: str, ignoreCase: bool) -> List[str]:
        # Wrong: always ignores case.
        return [w for w in words if w[:1].lower() == letter.lower()]
