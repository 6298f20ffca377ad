//! Every verdict in every language: AC, WA, TLE, RE, CE, MLE and OLE
//! programs in each language, through the real stack, on
//! `tests/fixtures/problems/echo` (read n, print 2n; 1 s, 256 MiB, 1 MiB of
//! output). The Java programs name their public class `Solution`, not `Main`.
//!
//! Then what contest packages rely on: C++20 by default with C++17 and C++23
//! selectable, `python3` on PyPy (a loop that is AC there and TLE on
//! `cpython3`), Kotlin's `readln()`, Haskell reading with `interact` and
//! `getContents`, a stack as large as the memory limit (recursion 10^6 deep),
//! and the stack protector Kattis' and DOMjudge's Ubuntu compilers have on
//! (a small `char s[15]` overflow is RE there and here).

use std::path::Path;
use std::time::{Duration, Instant};

use judge_tests::Stack;
use submission::{Status, Verdict};
use testkit::client::{final_state, follow, submit};

use Verdict::*;

/// `(language, verdict, code)`.
const PROGRAMS: &[(&str, Verdict, &str)] = &[
    // C
    ("c", AC, "#include <stdio.h>\nint main(void){long long n;scanf(\"%lld\",&n);printf(\"%lld\\n\",2*n);return 0;}\n"),
    ("c", WA, "#include <stdio.h>\nint main(void){long long n;scanf(\"%lld\",&n);printf(\"%lld\\n\",2*n+1);return 0;}\n"),
    ("c", TLE, "int main(void){volatile unsigned long x=0;for(;;)x++;}\n"),
    ("c", RE, "#include <stdio.h>\nint main(void){volatile int *p=0;*p=1;return 0;}\n"),
    ("c", CE, "int main(void){ return undefined_name; }\n"),
    ("c", MLE, "#include <stdlib.h>\n#include <string.h>\nint main(void){for(;;){char*p=malloc(1<<20);if(!p)return 3;memset(p,1,1<<20);}}\n"),
    ("c", OLE, "#include <stdio.h>\nint main(void){for(;;)puts(\"yes yes yes yes yes yes yes yes\");}\n"),
    // C++
    ("cpp", AC, "#include <iostream>\nint main(){long long n;std::cin>>n;std::cout<<2*n<<\"\\n\";}\n"),
    ("cpp", WA, "#include <iostream>\nint main(){long long n;std::cin>>n;std::cout<<n<<\"\\n\";}\n"),
    ("cpp", TLE, "int main(){volatile unsigned long x=0;for(;;)x++;}\n"),
    ("cpp", RE, "#include <stdexcept>\nint main(){throw std::runtime_error(\"boom\");}\n"),
    ("cpp", CE, "#include <vector>\nint main(){ std::vector<int> v = 1 }\n"),
    ("cpp", MLE, "#include <vector>\nint main(){std::vector<std::vector<char>> v;for(;;)v.emplace_back(1<<20,'x');}\n"),
    ("cpp", OLE, "#include <cstdio>\nint main(){for(;;)std::puts(\"yes yes yes yes yes yes\");}\n"),
    // Python
    ("python3", AC, "n = int(input())\nprint(2 * n)\n"),
    ("python3", WA, "n = int(input())\nprint(2 * n + 1)\n"),
    ("python3", TLE, "x = 0\nwhile True:\n    x += 1\n"),
    ("python3", RE, "n = int(input())\nraise ValueError(n)\n"),
    ("python3", CE, "def broken(:\n    pass\n"),
    ("python3", MLE, "chunks = []\nwhile True:\n    chunks.append(b'x' * (10 ** 7))\n"),
    ("python3", OLE, "import sys\nline = 'yes ' * 250 + '\\n'\nwhile True:\n    sys.stdout.write(line)\n"),
    // Java (public class Solution, not Main)
    ("java", AC, "import java.util.*;\npublic class Solution {\n  public static void main(String[] a) {\n    Scanner s = new Scanner(System.in);\n    System.out.println(2 * s.nextLong());\n  }\n}\n"),
    ("java", WA, "import java.util.*;\npublic class Solution {\n  public static void main(String[] a) {\n    Scanner s = new Scanner(System.in);\n    System.out.println(2 * s.nextLong() + 1);\n  }\n}\n"),
    ("java", TLE, "public class Solution {\n  public static void main(String[] a) {\n    long x = 0;\n    while (true) { x += System.nanoTime() & 1; if (x == -1) break; }\n    System.out.println(x);\n  }\n}\n"),
    ("java", RE, "public class Solution {\n  public static void main(String[] a) {\n    throw new IllegalStateException(\"boom\");\n  }\n}\n"),
    ("java", CE, "public class Solution {\n  public static void main(String[] a) {\n    int x = \"not an int\"\n  }\n}\n"),
    ("java", MLE, "import java.util.*;\npublic class Solution {\n  public static void main(String[] a) {\n    List<long[]> l = new ArrayList<>();\n    while (true) l.add(new long[1 << 17]);\n  }\n}\n"),
    ("java", OLE, "import java.io.*;\npublic class Solution {\n  public static void main(String[] a) {\n    PrintStream o = new PrintStream(new BufferedOutputStream(System.out, 1 << 16));\n    while (true) o.println(\"yes yes yes yes yes yes yes yes\");\n  }\n}\n"),
    // One huge request fails at once with a small resident size: the
    // runtime's out-of-memory message is what makes these MLE, not RE.
    ("java", MLE, "public class Solution {\n  public static void main(String[] a) {\n    long[] big = new long[1 << 30];\n    System.out.println(big.length);\n  }\n}\n"),
    ("python3", MLE, "big = [0] * (10 ** 11)\nprint(len(big))\n"),
    // Rust
    ("rust", AC, "use std::io::Read;\nfn main(){let mut s=String::new();std::io::stdin().read_to_string(&mut s).unwrap();let n:i64=s.trim().parse().unwrap();println!(\"{}\",2*n);}\n"),
    ("rust", WA, "use std::io::Read;\nfn main(){let mut s=String::new();std::io::stdin().read_to_string(&mut s).unwrap();let n:i64=s.trim().parse().unwrap();println!(\"{}\",n);}\n"),
    ("rust", TLE, "fn main(){let mut x=0u64;loop{unsafe{std::ptr::write_volatile(&mut x,std::ptr::read_volatile(&x)+1);}}}\n"),
    ("rust", RE, "fn main(){let mut s=String::new();std::io::stdin().read_line(&mut s).unwrap();let v:Vec<i64>=Vec::new();println!(\"{}\",v[s.trim().len()]);}\n"),
    ("rust", CE, "fn main(){ let x: i32 = \"no\"; }\n"),
    ("rust", MLE, "fn main(){let mut v:Vec<Vec<u8>>=Vec::new();loop{v.push(vec![1u8;1<<20]);}}\n"),
    ("rust", OLE, "use std::io::Write;\nfn main(){let o=std::io::stdout();let mut o=std::io::BufWriter::new(o.lock());loop{if writeln!(o,\"yes yes yes yes yes yes\").is_err(){return;}}}\n"),
    // Go
    ("go", AC, "package main\nimport \"fmt\"\nfunc main(){var n int64;fmt.Scan(&n);fmt.Println(2*n)}\n"),
    ("go", WA, "package main\nimport \"fmt\"\nfunc main(){var n int64;fmt.Scan(&n);fmt.Println(2*n+1)}\n"),
    ("go", TLE, "package main\nimport \"fmt\"\nfunc main(){x:=0;for i:=0;;i++{x+=i;if x==-7{break}};fmt.Println(x)}\n"),
    ("go", RE, "package main\nfunc main(){var m map[string]int;m[\"x\"]=1}\n"),
    ("go", CE, "package main\nfunc main(){ unused := 1 }\n"),
    ("go", MLE, "package main\nvar keep [][]byte\nfunc main(){for{b:=make([]byte,1<<20);for i:=range b{b[i]=1};keep=append(keep,b)}}\n"),
    ("go", OLE, "package main\nimport (\"bufio\";\"os\")\nfunc main(){w:=bufio.NewWriter(os.Stdout);for{if _,err:=w.WriteString(\"yes yes yes yes yes yes\\n\");err!=nil{return}}}\n"),
    // JavaScript (BigInt: 2n exceeds 2^53)
    ("javascript", AC, "const n = BigInt(require('fs').readFileSync(0, 'utf8').trim());\nconsole.log((2n * n).toString());\n"),
    ("javascript", WA, "const n = BigInt(require('fs').readFileSync(0, 'utf8').trim());\nconsole.log((2n * n + 1n).toString());\n"),
    ("javascript", TLE, "let x = 0;\nwhile (true) { x++; }\n"),
    ("javascript", RE, "null.boom();\n"),
    ("javascript", CE, "function (\n"),
    ("javascript", MLE, "const a = [];\nwhile (true) a.push(new Array(1 << 16).fill(1.5));\n"),
    ("javascript", OLE, "const fs = require('fs');\nconst line = 'yes '.repeat(250) + '\\n';\nwhile (true) fs.writeSync(1, line);\n"),
    // Kotlin (readln() needs Kotlin 1.6 or newer; the class is MainKt)
    ("kotlin", AC, "fun main() {\n    val n = readln().trim().toLong()\n    println(2 * n)\n}\n"),
    ("kotlin", WA, "fun main() {\n    val n = readln().trim().toLong()\n    println(2 * n + 1)\n}\n"),
    ("kotlin", TLE, "fun main() {\n    var x = 0L\n    while (true) { x += System.nanoTime() and 1L; if (x == -1L) break }\n    println(x)\n}\n"),
    ("kotlin", RE, "fun main() {\n    val n = readln().trim().toLong()\n    throw IllegalStateException(\"boom $n\")\n}\n"),
    ("kotlin", CE, "fun main() {\n    val x: Int = \"not an int\"\n}\n"),
    ("kotlin", MLE, "fun main() {\n    val l = ArrayList<LongArray>()\n    while (true) l.add(LongArray(1 shl 17))\n}\n"),
    ("kotlin", OLE, "fun main() {\n    val o = System.out.bufferedWriter()\n    while (true) o.write(\"yes yes yes yes yes yes\\n\")\n}\n"),
    // Haskell
    ("haskell", AC, "main :: IO ()\nmain = interact $ \\s -> show (2 * read s :: Integer) ++ \"\\n\"\n"),
    ("haskell", AC, "main :: IO ()\nmain = do\n  s <- getContents\n  let n = read (head (words s)) :: Integer\n  print (2 * n)\n"),
    ("haskell", WA, "main :: IO ()\nmain = getContents >>= \\s -> print (read s + 1 :: Integer)\n"),
    ("haskell", TLE, "main :: IO ()\nmain = print (length [(1 :: Int) ..])\n"),
    ("haskell", RE, "main :: IO ()\nmain = getContents >>= \\s -> print (length s + head ([] :: [Int]))\n"),
    ("haskell", CE, "main :: IO ()\nmain = putStrLn (1 + \"x\")\n"),
    ("haskell", MLE, "import Data.Array.IO\nmain :: IO ()\nmain = do\n  a <- newArray (0, 100000000) 7 :: IO (IOUArray Int Int)\n  readArray a 99999999 >>= print\n"),
    ("haskell", OLE, "main :: IO ()\nmain = mapM_ putStrLn (repeat \"yes yes yes yes yes yes\")\n"),
    // CPython, chosen by id; the loop that PyPy runs in a fraction of a
    // second takes CPython several.
    ("cpython3", AC, "n = int(input())\nprint(2 * n)\n"),
    ("cpython3", WA, "n = int(input())\nprint(2 * n + 1)\n"),
    ("cpython3", TLE, PYPY_SPEED),
    ("cpython3", RE, "n = int(input())\nraise ValueError(n)\n"),
    ("cpython3", CE, "def broken(:\n    pass\n"),
    ("cpython3", MLE, "chunks = []\nwhile True:\n    chunks.append(b'x' * (10 ** 7))\n"),
    ("python3", AC, PYPY_SPEED),
    ("python3", AC, "#!/usr/bin/env python3\nimport sys\nprint(2 * int(sys.stdin.read()))\n"),
    // C++: the default is C++20; C++17 and C++23 are chosen by id.
    ("cpp", AC, CPP20),
    ("cpp17", CE, CPP20),
    ("cpp17", AC, "#include <iostream>\nint main(){long long n;std::cin>>n;std::cout<<(__cplusplus==201703L?2*n:0)<<\"\\n\";}\n"),
    ("cpp23", AC, "#include <iostream>\nint main(){long long n;std::cin>>n;std::cout<<(__cplusplus>202002L?2*n:0)<<\"\\n\";}\n"),
    ("cpp", AC, "#include <iostream>\nint main(){long long n;std::cin>>n;std::cout<<(__cplusplus==202002L?2*n:0)<<\"\\n\";}\n"),
    // Recursion 10^6 deep: the stack is as large as the memory limit.
    ("cpp", AC, "#include <iostream>\n#include <vector>\nstd::vector<std::vector<int>> g;\nint dfs(int u){int d=0;for(int v:g[u])d=std::max(d,1+dfs(v));return d;}\nint main(){long long n;std::cin>>n;int m=1000000;g.resize(m);for(int i=0;i+1<m;i++)g[i].push_back(i+1);std::cout<<(dfs(0)==m-1?2*n:0)<<\"\\n\";}\n"),
    ("java", AC, "public class Solution {\n  static int depth(int k) { return k == 0 ? 0 : 1 + depth(k - 1); }\n  public static void main(String[] a) {\n    long n = new java.util.Scanner(System.in).nextLong();\n    System.out.println(depth(1000000) == 1000000 ? 2 * n : 0);\n  }\n}\n"),
    // 18 digits and a NUL in 15 bytes: the stack protector (on by default
    // in the Ubuntu compilers of Kattis and DOMjudge) aborts the program.
    ("c", RE, "#include <stdio.h>\n#include <stdlib.h>\nint main(void){char s[15];if(scanf(\"%s\",s)!=1)return 1;long long n=atoll(s);printf(\"%lld\\n\",2*n);return 0;}\n"),
    ("cpp", RE, "#include <cstdio>\n#include <cstdlib>\nint main(){char s[15];if(std::scanf(\"%s\",s)!=1)return 1;long long n=std::atoll(s);std::printf(\"%lld\\n\",2*n);}\n"),
];

/// A loop of 3*10^7 steps: about 0.2 s on PyPy, over 5 s on CPython.
const PYPY_SPEED: &str = "import sys\nn = int(sys.stdin.readline())\nx = r = 1\nfor _ in range(30_000_000):\n    x = (x * 1103515245 + 12345) & 0x7FFFFFFF\n    r ^= x\nprint(2 * n if r >= 0 else 0)\n";

/// C++20 library calls that C++17 lacks.
const CPP20: &str = "#include <iostream>\n#include <set>\n#include <vector>\nint main(){long long n;std::cin>>n;std::set<long long> s{n};std::vector<int> v(3);if(!s.contains(n)||std::ssize(v)!=3)return 1;std::cout<<2*n<<\"\\n\";}\n";

/// The API's open mode (no tokens), unless the harness already chose one.
fn open_auth() {
    if std::env::var_os("JUDGE_AUTH").is_none() {
        std::env::set_var("JUDGE_AUTH", "open");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_verdict_in_every_language() {
    open_auth();
    let problems = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/problems");
    let stack = Stack::start(&problems, 1).await;
    let started = Instant::now();

    // LANGUAGES_TEST_ONLY=kotlin,haskell runs only those (a quicker check
    // after changing one language's image or flags).
    let only: Option<Vec<String>> = std::env::var("LANGUAGES_TEST_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let programs: Vec<_> = PROGRAMS
        .iter()
        .filter(|(language, _, _)| {
            only.as_ref()
                .is_none_or(|o| o.iter().any(|l| l == language))
        })
        .collect();
    assert!(
        !programs.is_empty(),
        "LANGUAGES_TEST_ONLY={only:?} selects nothing"
    );

    let mut submitted = Vec::new();
    for (n, (language, expected, code)) in programs.iter().enumerate() {
        let (status, body) =
            submit(&stack.api_url, &format!("lang{n}"), "echo", language, code).await;
        assert_eq!(status, 202, "{language} {expected}: {body}");
        let url = body["watch_url"].as_str().expect("watch_url").to_string();
        let follow = tokio::spawn(async move { follow(&url, Duration::from_secs(600)).await });
        submitted.push((*language, *expected, follow));
    }

    let mut wrong = Vec::new();
    let mut matrix: Vec<(String, Vec<String>)> = Vec::new();
    for (language, expected, follow) in submitted {
        let events = follow.await.unwrap();
        let state = final_state(&events);
        assert_eq!(state.status, Status::Finished);
        let verdict = state.verdict.unwrap();
        let cell = if verdict == expected {
            format!("{expected}")
        } else {
            format!("{expected}->{verdict}")
        };
        match matrix.iter_mut().find(|(l, _)| l == language) {
            Some((_, cells)) => cells.push(cell),
            None => matrix.push((language.to_string(), vec![cell])),
        }
        if verdict != expected {
            wrong.push(format!(
                "{language} {expected}: got {verdict} (message {:?}; last test {:?}; compile output {:?})",
                state.message,
                state.results.last().map(|r| (r.verdict, r.time_ms, r.wall_ms, r.memory_kb, r.exit_code, r.signal)),
                state.compile_output.as_deref().map(|o| o.chars().take(300).collect::<String>()),
            ));
        }
    }
    let elapsed = started.elapsed();
    stack.stop().await;
    eprintln!(
        "{} submissions judged in {:.1} s",
        programs.len(),
        elapsed.as_secs_f64()
    );
    for (language, cells) in &matrix {
        eprintln!("  {language:<11} {}", cells.join(" "));
    }
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}
