// The judge's driver: reads the pairs and calls the submission's add().
import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            StringTokenizer t = new StringTokenizer(in.readLine());
            long a = Long.parseLong(t.nextToken());
            long b = Long.parseLong(t.nextToken());
            out.append(Solution.add(a, b)).append('\n');
        }
        System.out.print(out);
    }
}
