class Solution {
public:
    long long maxSubArray(vector<int>& nums) {
        // Wrong: the running sums overflow 32 bits.
        int best = nums[0], cur = nums[0];
        for (size_t i = 1; i < nums.size(); i++) {
            cur = max(nums[i], (int)((unsigned)cur + (unsigned)nums[i]));
            best = max(best, cur);
        }
        return best;
    }
};
