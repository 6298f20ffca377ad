class Solution {
public:
    vector<int> twoSum(vector<int>& nums, int target) {
        unordered_map<int, int> seen;
        for (int i = 0; i < (int)nums.size(); i++) {
            auto it = seen.find(target - nums[i]);
            // Any order is accepted: the later index first.
            if (it != seen.end()) return {i, it->second};
            seen[nums[i]] = i;
        }
        return {};
    }
};
