use std::collections::HashMap;

impl Solution {
    pub fn two_sum(nums: Vec<i32>, target: i32) -> Vec<i32> {
        let mut seen: HashMap<i32, i32> = HashMap::new();
        for (i, &n) in nums.iter().enumerate() {
            // Any order is accepted: the later index first.
            if let Some(&j) = seen.get(&(target - n)) {
                return vec![i as i32, j];
            }
            seen.insert(n, i as i32);
        }
        vec![]
    }
}
