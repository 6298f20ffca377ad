class Solution {
    fun transpose(matrix: Array<IntArray>): Array<IntArray> {
        val m = matrix.size
        val n = matrix[0].size
        return Array(n) { j -> IntArray(m) { i -> matrix[i][j] } }
    }
}
