class Solution {
    fun standardDeviation(values: DoubleArray): Double {
        val mean = if (values.isEmpty()) 0.0 else values.average()
        val sq = values.sumOf { (it - mean) * (it - mean) }
        return sqrt(sq / values.size)
    }
}
