class Solution {
public:
    vector<int> twoSum(vector<int>& nums, int target) {
        // Wrong: may use the same element twice (target = 2 * x).
        unordered_map<int, int> at;
        for (int i = 0; i < (int)nums.size(); i++) at[nums[i]] = i;
        for (int i = 0; i < (int)nums.size(); i++)
            if (at.count(target - nums[i])) return {i, at[target - nums[i]]};
        return {};
    }
};
