import java.io.*;

// Not public, and not in a file of its own name: Kattis and DOMjudge run the
// class that has main, whatever the file is called.
class Solver {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(Counter.words(in.readLine())).append('\n');
        }
        System.out.print(out);
    }
}
