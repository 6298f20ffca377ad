class Solution {
    fun maxSubArray(nums: IntArray): Long {
        var best = nums[0].toLong()
        var cur = best
        for (i in 1 until nums.size) {
            cur = maxOf(nums[i].toLong(), cur + nums[i])
            best = maxOf(best, cur)
        }
        return best
    }
}
