class Solution {
    public double standardDeviation(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        double sq = 0;
        for (double v : values) sq += (v - mean) * (v - mean);
        return Math.sqrt(sq / values.length);
    }
}
