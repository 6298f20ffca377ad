class Solution {
public:
    double standardDeviation(vector<double>& values) {
        // Wrong: the sample deviation (n - 1), not the population one.
        double mean = 0;
        for (double v : values) mean += v;
        mean /= values.size();
        double sq = 0;
        for (double v : values) sq += (v - mean) * (v - mean);
        return values.size() > 1 ? sqrt(sq / (values.size() - 1)) : 0.0;
    }
};
