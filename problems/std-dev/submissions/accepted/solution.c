double standardDeviation(double* values, int valuesSize) {
    double mean = 0, sq = 0;
    for (int i = 0; i < valuesSize; i++) mean += values[i];
    mean /= valuesSize;
    for (int i = 0; i < valuesSize; i++) sq += (values[i] - mean) * (values[i] - mean);
    return sqrt(sq / valuesSize);
}
