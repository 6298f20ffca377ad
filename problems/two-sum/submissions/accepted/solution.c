/* Sorts the indices by value, then closes in from both ends. */
static int *by_value;

static int cmp(const void *a, const void *b) {
    int x = by_value[*(const int *)a], y = by_value[*(const int *)b];
    return (x > y) - (x < y);
}

int* twoSum(int* nums, int numsSize, int target, int* returnSize) {
    int *idx = malloc(sizeof(int) * (numsSize + 1));
    int *out = malloc(sizeof(int) * 2);
    for (int i = 0; i < numsSize; i++) idx[i] = i;
    by_value = nums;
    qsort(idx, numsSize, sizeof(int), cmp);
    *returnSize = 0;
    for (int lo = 0, hi = numsSize - 1; lo < hi;) {
        long long sum = (long long)nums[idx[lo]] + nums[idx[hi]];
        if (sum == target) {
            out[0] = idx[lo];
            out[1] = idx[hi];
            *returnSize = 2;
            break;
        }
        if (sum < target) lo++; else hi--;
    }
    free(idx);
    return out;
}
