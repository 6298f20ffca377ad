public class Solution {
    public long MaxSubArray(int[] nums) {
        long best = nums[0], cur = nums[0];
        for (int i = 1; i < nums.Length; i++) {
            cur = Math.Max(nums[i], cur + nums[i]);
            best = Math.Max(best, cur);
        }
        return best;
    }
}
