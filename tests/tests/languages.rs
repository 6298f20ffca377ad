//! Every verdict in every language: AC, WA, TLE, RE, CE, MLE and OLE
//! programs in each of the seven languages, through the real stack, on
//! `tests/fixtures/problems/echo` (read n, print 2n; 1 s, 256 MiB, 1 MiB of
//! output). The Java programs name their public class `Solution`, not `Main`.

use std::path::Path;
use std::time::{Duration, Instant};

use judge_core::{Status, Verdict};
use judge_tests::client::{final_state, follow, submit};
use judge_tests::Stack;

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
];

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

    let mut submitted = Vec::new();
    for (n, (language, expected, code)) in PROGRAMS.iter().enumerate() {
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
        PROGRAMS.len(),
        elapsed.as_secs_f64()
    );
    for (language, cells) in &matrix {
        eprintln!("  {language:<11} {}", cells.join(" "));
    }
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}
