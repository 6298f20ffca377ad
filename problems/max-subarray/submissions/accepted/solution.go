func maxSubArray(nums []int) int64 {
	best, cur := int64(nums[0]), int64(nums[0])
	for _, x := range nums[1:] {
		if cur+int64(x) > int64(x) {
			cur += int64(x)
		} else {
			cur = int64(x)
		}
		if cur > best {
			best = cur
		}
	}
	return best
}
