# @param {Integer[]} nums
# @return {Integer}
def max_sub_array(nums)
  best = cur = nums[0]
  nums.drop(1).each do |x|
    cur = [x, cur + x].max
    best = [best, cur].max
  end
  best
end
