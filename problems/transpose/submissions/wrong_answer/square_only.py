class Solution:
    def transpose(self, matrix: List[List[int]]) -> List[List[int]]:
        # Wrong: swaps in place, which only works for square matrices.
        n = min(len(matrix), len(matrix[0]))
        for i in range(n):
            for j in range(i + 1, n):
                matrix[i][j], matrix[j][i] = matrix[j][i], matrix[i][j]
        return matrix
