class Solution {
public:
    double standardDeviation(vector<double>& values) {
        double mean = 0;
        for (double v : values) mean += v;
        mean /= values.size();
        double sq = 0;
        for (double v : values) sq += (v - mean) * (v - mean);
        return sqrt(sq / values.size());
    }
};
