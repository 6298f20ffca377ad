import statistics


class Solution:
    def standardDeviation(self, values: List[float]) -> float:
        return statistics.pstdev(values)
