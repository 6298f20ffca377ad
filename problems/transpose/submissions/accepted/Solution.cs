public class Solution {
    public int[][] Transpose(int[][] matrix) {
        int rows = matrix.Length, cols = matrix[0].Length;
        int[][] t = new int[cols][];
        for (int j = 0; j < cols; j++) {
            t[j] = new int[rows];
            for (int i = 0; i < rows; i++) t[j][i] = matrix[i][j];
        }
        return t;
    }
}
