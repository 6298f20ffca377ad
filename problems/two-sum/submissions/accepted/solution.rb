# @param {Integer[]} nums
# @param {Integer} target
# @return {Integer[]}
def two_sum(nums, target)
  seen = {}
  nums.each_with_index do |x, i|
    puts "checking #{i}" # the user's stdout is kept apart from the result
    return [seen[target - x], i] if seen.key?(target - x)
    seen[x] = i
  end
  []
end
