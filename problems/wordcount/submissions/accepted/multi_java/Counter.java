public class Counter {
    /** Words are runs of non-space characters. */
    public static int words(String line) {
        if (line == null) return 0;
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            boolean space = line.charAt(i) == ' ';
            if (!space && !inWord) count++;
            inWord = !space;
        }
        return count;
    }
}
