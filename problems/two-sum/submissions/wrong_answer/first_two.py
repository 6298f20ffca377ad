class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        # Wrong: assumes the first two numbers are the pair.
        return [0, 1]
