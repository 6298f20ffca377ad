int** transpose(int** matrix, int matrixSize, int* matrixColSize, int* returnSize, int** returnColumnSizes) {
    int m = matrixSize, n = matrixColSize[0];
    int **t = malloc(sizeof(int *) * n);
    *returnColumnSizes = malloc(sizeof(int) * n);
    for (int j = 0; j < n; j++) {
        t[j] = malloc(sizeof(int) * m);
        (*returnColumnSizes)[j] = m;
        for (int i = 0; i < m; i++) t[j][i] = matrix[i][j];
    }
    *returnSize = n;
    return t;
}
