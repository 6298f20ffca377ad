impl Solution {
    pub fn max_sub_array(nums: Vec<i32>) -> i64 {
        let (mut best, mut cur) = (nums[0] as i64, nums[0] as i64);
        for &n in &nums[1..] {
            cur = (n as i64).max(cur + n as i64);
            best = best.max(cur);
        }
        best
    }
}
