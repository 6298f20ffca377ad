function twoSum(nums: number[], target: number): number[] {
    // Wrong: assumes the first two numbers are the pair.
    return [0, 1];
};
