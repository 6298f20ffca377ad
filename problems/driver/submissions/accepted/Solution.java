public class Solution {
    public static long add(long a, long b) {
        return a + b;
    }
}
