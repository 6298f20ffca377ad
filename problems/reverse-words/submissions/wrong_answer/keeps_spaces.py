class Solution:
    def reverseWords(self, s: str) -> str:
        # Wrong: keeps the repeated spaces.
        return " ".join(reversed(s.split(" ")))
