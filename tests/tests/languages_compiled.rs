//! The compiled languages people submit in outside the default set (issue
//! 22): Ada, Algol 68, COBOL, Crystal, C#, D, Fortran, Modula-2, Nim,
//! Objective-C, C and C++ with GMP, and Zig, each judged through the real
//! stack on `tests/fixtures/problems/echo` (read n, print 2n; n is up to
//! 1.2·10^17, so 2n still fits in 64 bits): a hello-world that is AC, a wrong
//! answer, a run-time error and a compile error; and, for the languages whose
//! programs are often several files, one submission of a main file and a
//! module (unit, package, header) it uses, as BAPCtools and DOMjudge
//! packages hold them, which must be AC too.
//!
//! A binary of its own so that the main suites do not need these images;
//! `scripts/test.sh` builds them first (`COMPILED_LANGUAGES` there).

use std::path::Path;
use std::time::{Duration, Instant};

use judge_tests::languages::{open_auth, wait_until_ready, wrong_verdicts, Program, Source};
use judge_tests::Stack;
use problem_package::source::SourceFile;
use submission::Verdict;

use Verdict::*;

/// The languages of this binary; their images are built by scripts/test.sh.
const LANGUAGES: &[&str] = &[
    "ada",
    "algol68",
    "cobol",
    "crystal",
    "csharp",
    "d",
    "fortran",
    "modula2",
    "nim",
    "objectivec",
    "cgmp",
    "cppgmp",
    "zig",
];

/// `(language, verdict, code)`: one file, named the language's default file.
const PROGRAMS: &[(&str, Verdict, &str)] = &[
    ("ada", AC, ADA_AC),
    ("ada", WA, ADA_WA),
    ("ada", RE, ADA_RE),
    ("ada", CE, ADA_CE),
    ("algol68", AC, ALGOL68_AC),
    ("algol68", WA, ALGOL68_WA),
    ("algol68", RE, ALGOL68_RE),
    ("algol68", CE, ALGOL68_CE),
    ("cobol", AC, COBOL_AC),
    ("cobol", WA, COBOL_WA),
    ("cobol", RE, COBOL_RE),
    ("cobol", CE, COBOL_CE),
    (
        "crystal",
        AC,
        "n = gets.not_nil!.strip.to_i64\nputs 2_i64 * n\n",
    ),
    (
        "crystal",
        WA,
        "n = gets.not_nil!.strip.to_i64\nputs 2_i64 * n + 1\n",
    ),
    (
        "crystal",
        RE,
        "n = gets.not_nil!.strip.to_i64\nraise \"boom #{n}\"\n",
    ),
    ("crystal", CE, "puts undefined_name\n"),
    ("csharp", AC, CSHARP_AC),
    ("csharp", WA, CSHARP_WA),
    ("csharp", RE, CSHARP_RE),
    ("csharp", CE, CSHARP_CE),
    ("d", AC, D_AC),
    ("d", WA, D_WA),
    ("d", RE, D_RE),
    ("d", CE, D_CE),
    ("fortran", AC, FORTRAN_AC),
    ("fortran", WA, FORTRAN_WA),
    ("fortran", RE, FORTRAN_RE),
    ("fortran", CE, FORTRAN_CE),
    ("modula2", AC, MODULA2_AC),
    ("modula2", WA, MODULA2_WA),
    ("modula2", RE, MODULA2_RE),
    ("modula2", CE, MODULA2_CE),
    (
        "nim",
        AC,
        "import strutils\nlet n = parseBiggestInt(stdin.readLine().strip())\necho 2 * n\n",
    ),
    (
        "nim",
        WA,
        "import strutils\nlet n = parseBiggestInt(stdin.readLine().strip())\necho 2 * n + 1\n",
    ),
    (
        "nim",
        RE,
        "import strutils\nlet n = parseBiggestInt(stdin.readLine().strip())\nraise newException(ValueError, \"boom \" & $n)\n",
    ),
    ("nim", CE, "echo undefinedName\n"),
    ("objectivec", AC, OBJC_AC),
    ("objectivec", WA, OBJC_WA),
    ("objectivec", RE, OBJC_RE),
    ("objectivec", CE, OBJC_CE),
    ("cgmp", AC, CGMP_AC),
    ("cgmp", WA, CGMP_WA),
    ("cgmp", RE, CGMP_RE),
    ("cgmp", CE, CGMP_CE),
    ("cppgmp", AC, CPPGMP_AC),
    ("cppgmp", WA, CPPGMP_WA),
    ("cppgmp", RE, CPPGMP_RE),
    ("cppgmp", CE, CPPGMP_CE),
    ("zig", AC, ZIG_AC),
    ("zig", WA, ZIG_WA),
    ("zig", RE, ZIG_RE),
    ("zig", CE, ZIG_CE),
];

const ADA_AC: &str = r#"with Ada.Text_IO;
procedure Main is
   package LIO is new Ada.Text_IO.Integer_IO (Long_Long_Integer);
   N : Long_Long_Integer;
begin
   LIO.Get (N);
   LIO.Put (2 * N, Width => 0);
   Ada.Text_IO.New_Line;
end Main;
"#;
const ADA_WA: &str = r#"with Ada.Text_IO;
procedure Main is
   package LIO is new Ada.Text_IO.Integer_IO (Long_Long_Integer);
   N : Long_Long_Integer;
begin
   LIO.Get (N);
   LIO.Put (2 * N + 1, Width => 0);
   Ada.Text_IO.New_Line;
end Main;
"#;
const ADA_RE: &str = r#"with Ada.Text_IO;
procedure Main is
   package LIO is new Ada.Text_IO.Integer_IO (Long_Long_Integer);
   N : Long_Long_Integer;
begin
   LIO.Get (N);
   raise Program_Error;
end Main;
"#;
const ADA_CE: &str = r#"with Ada.Text_IO;
procedure Main is
begin
   Ada.Text_IO.Put_Line (Undefined_Name);
end Main;
"#;

const ALGOL68_AC: &str = "BEGIN\n  INT n;\n  read(n);\n  print((whole(2 * n, 0), newline))\nEND\n";
const ALGOL68_WA: &str =
    "BEGIN\n  INT n;\n  read(n);\n  print((whole(2 * n + 1, 0), newline))\nEND\n";
const ALGOL68_RE: &str =
    "BEGIN\n  INT n;\n  read(n);\n  INT zero = 0;\n  print((n OVER zero, newline))\nEND\n";
const ALGOL68_CE: &str = "BEGIN\n  print((undefined name, newline)\nEND\n";

// Free-form source (`cobc -free`, as Kattis compiles).
const COBOL_AC: &str = r#"IDENTIFICATION DIVISION.
PROGRAM-ID. MAIN.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 LINE-IN PIC X(40).
01 N PIC S9(18).
01 OUT-N PIC -(19)9.
PROCEDURE DIVISION.
    ACCEPT LINE-IN.
    COMPUTE N = FUNCTION NUMVAL(LINE-IN).
    COMPUTE OUT-N = 2 * N.
    DISPLAY FUNCTION TRIM(OUT-N).
    STOP RUN.
"#;
const COBOL_WA: &str = r#"IDENTIFICATION DIVISION.
PROGRAM-ID. MAIN.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 LINE-IN PIC X(40).
01 N PIC S9(18).
01 OUT-N PIC -(19)9.
PROCEDURE DIVISION.
    ACCEPT LINE-IN.
    COMPUTE N = FUNCTION NUMVAL(LINE-IN).
    COMPUTE OUT-N = 2 * N + 1.
    DISPLAY FUNCTION TRIM(OUT-N).
    STOP RUN.
"#;
const COBOL_RE: &str = r#"IDENTIFICATION DIVISION.
PROGRAM-ID. MAIN.
PROCEDURE DIVISION.
    MOVE 3 TO RETURN-CODE.
    STOP RUN.
"#;
const COBOL_CE: &str = r#"IDENTIFICATION DIVISION.
PROGRAM-ID. MAIN.
PROCEDURE DIVISION.
    DISPLAY UNDEFINED-NAME.
    STOP RUN.
"#;

const CSHARP_AC: &str = r#"using System;

class Program
{
    static void Main()
    {
        long n = long.Parse(Console.ReadLine().Trim());
        Console.WriteLine(2 * n);
    }
}
"#;
const CSHARP_WA: &str = r#"using System;

class Program
{
    static void Main()
    {
        long n = long.Parse(Console.ReadLine().Trim());
        Console.WriteLine(2 * n + 1);
    }
}
"#;
const CSHARP_RE: &str = r#"using System;

class Program
{
    static void Main()
    {
        long n = long.Parse(Console.ReadLine().Trim());
        throw new InvalidOperationException("boom " + n);
    }
}
"#;
const CSHARP_CE: &str = r#"using System;

class Program
{
    static void Main()
    {
        Console.WriteLine(undefinedName);
    }
}
"#;

const D_AC: &str = "import std.conv, std.stdio, std.string;\n\nvoid main()\n{\n    long n = readln().strip().to!long;\n    writeln(2 * n);\n}\n";
const D_WA: &str = "import std.conv, std.stdio, std.string;\n\nvoid main()\n{\n    long n = readln().strip().to!long;\n    writeln(2 * n + 1);\n}\n";
const D_RE: &str = "import std.conv, std.stdio, std.string;\n\nvoid main()\n{\n    long n = readln().strip().to!long;\n    throw new Exception(\"boom\");\n}\n";
const D_CE: &str = "import std.stdio;\n\nvoid main()\n{\n    writeln(undefinedName);\n}\n";

const FORTRAN_AC: &str = "program main\n  implicit none\n  integer(kind=8) :: n\n  read (*, *) n\n  print '(I0)', 2 * n\nend program main\n";
const FORTRAN_WA: &str = "program main\n  implicit none\n  integer(kind=8) :: n\n  read (*, *) n\n  print '(I0)', 2 * n + 1\nend program main\n";
const FORTRAN_RE: &str = "program main\n  implicit none\n  integer(kind=8) :: n\n  read (*, *) n\n  error stop 3\nend program main\n";
const FORTRAN_CE: &str =
    "program main\n  implicit none\n  print '(I0)', undefined_name\nend program main\n";

// PIM's StrIO reads the line; the number (negative too) is converted by
// hand, in LONGINT (64 bits; INTEGER is 32).
const MODULA2_AC: &str = r#"MODULE main;
FROM StrIO IMPORT ReadString, WriteString, WriteLn;
FROM StrLib IMPORT StrLen;

VAR
  line, out: ARRAY [0..63] OF CHAR;
  n: LONGINT;
  i, len: CARDINAL;
  negative: BOOLEAN;

BEGIN
  ReadString(line);
  n := 0;
  negative := FALSE;
  len := StrLen(line);
  FOR i := 0 TO len - 1 DO
    IF line[i] = '-' THEN
      negative := TRUE
    ELSIF (line[i] >= '0') AND (line[i] <= '9') THEN
      n := n * 10 + VAL(LONGINT, ORD(line[i]) - ORD('0'))
    END
  END;
  n := 2 * n;
  i := 0;
  REPEAT
    out[i] := CHR(VAL(CARDINAL, n MOD 10) + ORD('0'));
    n := n DIV 10;
    INC(i)
  UNTIL n = 0;
  IF negative THEN
    WriteString('-')
  END;
  WHILE i > 0 DO
    DEC(i);
    line[0] := out[i];
    line[1] := 0C;
    WriteString(line)
  END;
  WriteLn
END main.
"#;
const MODULA2_WA: &str = r#"MODULE main;
FROM StrIO IMPORT WriteString, WriteLn;
BEGIN
  WriteString('1');
  WriteLn
END main.
"#;
const MODULA2_RE: &str = r#"MODULE main;
FROM libc IMPORT exit;
BEGIN
  exit(3)
END main.
"#;
const MODULA2_CE: &str = r#"MODULE main;
FROM StrIO IMPORT WriteString;
BEGIN
  WriteString(undefinedName)
END main.
"#;

const OBJC_AC: &str = r#"#import <objc/Object.h>
#include <stdio.h>

@interface Doubler : Object
+ (long long) twice: (long long) x;
@end

@implementation Doubler
+ (long long) twice: (long long) x { return 2 * x; }
@end

int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    printf("%lld\n", [Doubler twice: n]);
    return 0;
}
"#;
const OBJC_WA: &str = r#"#import <objc/Object.h>
#include <stdio.h>

@interface Doubler : Object
+ (long long) twice: (long long) x;
@end

@implementation Doubler
+ (long long) twice: (long long) x { return 2 * x + 1; }
@end

int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    printf("%lld\n", [Doubler twice: n]);
    return 0;
}
"#;
const OBJC_RE: &str = r#"#include <stdio.h>

int main(void) {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    return 3;
}
"#;
const OBJC_CE: &str = r#"#include <stdio.h>

int main(void) {
    printf("%d\n", undefined_name);
    return 0;
}
"#;

const CGMP_AC: &str = "#include <gmp.h>\n\nint main(void) {\n    mpz_t n;\n    mpz_init(n);\n    if (gmp_scanf(\"%Zd\", n) != 1) return 1;\n    mpz_mul_ui(n, n, 2);\n    gmp_printf(\"%Zd\\n\", n);\n    return 0;\n}\n";
const CGMP_WA: &str = "#include <gmp.h>\n\nint main(void) {\n    mpz_t n;\n    mpz_init(n);\n    if (gmp_scanf(\"%Zd\", n) != 1) return 1;\n    mpz_mul_ui(n, n, 3);\n    gmp_printf(\"%Zd\\n\", n);\n    return 0;\n}\n";
// GMP raises SIGFPE on a division by zero.
const CGMP_RE: &str = "#include <gmp.h>\n\nint main(void) {\n    mpz_t n, zero;\n    mpz_init(n);\n    mpz_init(zero);\n    if (gmp_scanf(\"%Zd\", n) != 1) return 1;\n    mpz_tdiv_q(n, n, zero);\n    gmp_printf(\"%Zd\\n\", n);\n    return 0;\n}\n";
const CGMP_CE: &str =
    "#include <gmp.h>\n\nint main(void) {\n    mpz_mul_ui(undefined_name, undefined_name, 2);\n    return 0;\n}\n";

const CPPGMP_AC: &str = "#include <gmpxx.h>\n#include <iostream>\n\nint main() {\n    mpz_class n;\n    std::cin >> n;\n    std::cout << 2 * n << '\\n';\n}\n";
const CPPGMP_WA: &str = "#include <gmpxx.h>\n#include <iostream>\n\nint main() {\n    mpz_class n;\n    std::cin >> n;\n    std::cout << 2 * n + 1 << '\\n';\n}\n";
const CPPGMP_RE: &str = "#include <gmpxx.h>\n#include <iostream>\n\nint main() {\n    mpz_class n, zero;\n    std::cin >> n;\n    std::cout << n / zero << '\\n';\n}\n";
const CPPGMP_CE: &str =
    "#include <gmpxx.h>\n\nint main() {\n    mpz_class n = undefined_name;\n}\n";

// Zig 0.16+ I/O: `main` gets the process's `Io`, files read and write
// through buffered readers and writers.
const ZIG_AC: &str = r#"const std = @import("std");

pub fn main(init: std.process.Init) !void {
    var in_buf: [4096]u8 = undefined;
    var stdin = std.Io.File.stdin().reader(init.io, &in_buf);
    const line = (try stdin.interface.takeDelimiter('\n')) orelse return error.NoInput;
    const n = try std.fmt.parseInt(i64, std.mem.trim(u8, line, " \r"), 10);
    var out_buf: [4096]u8 = undefined;
    var stdout = std.Io.File.stdout().writer(init.io, &out_buf);
    try stdout.interface.print("{d}\n", .{2 * n});
    try stdout.interface.flush();
}
"#;
const ZIG_WA: &str = r#"const std = @import("std");

pub fn main(init: std.process.Init) !void {
    var out_buf: [64]u8 = undefined;
    var stdout = std.Io.File.stdout().writer(init.io, &out_buf);
    try stdout.interface.print("{d}\n", .{1});
    try stdout.interface.flush();
}
"#;
const ZIG_RE: &str = r#"pub fn main() !void {
    return error.Boom;
}
"#;
const ZIG_CE: &str = r#"const std = @import("std");

pub fn main() void {
    std.debug.print("{d}\n", .{undefined_name});
}
"#;

/// `(language, files)`: a main file and a module it uses, each AC.
fn multi_file_programs() -> Vec<(&'static str, Vec<SourceFile>)> {
    let file = |name: &str, content: &str| SourceFile {
        name: name.into(),
        content: content.into(),
    };
    vec![
        (
            "ada",
            vec![
                file(
                    "main.adb",
                    "with Ada.Text_IO;\nwith Doubler;\nprocedure Main is\n   package LIO is new Ada.Text_IO.Integer_IO (Long_Long_Integer);\n   N : Long_Long_Integer;\nbegin\n   LIO.Get (N);\n   LIO.Put (Doubler.Twice (N), Width => 0);\n   Ada.Text_IO.New_Line;\nend Main;\n",
                ),
                file(
                    "doubler.ads",
                    "package Doubler is\n   function Twice (X : Long_Long_Integer) return Long_Long_Integer;\nend Doubler;\n",
                ),
                file(
                    "doubler.adb",
                    "package body Doubler is\n   function Twice (X : Long_Long_Integer) return Long_Long_Integer is\n   begin\n      return 2 * X;\n   end Twice;\nend Doubler;\n",
                ),
            ],
        ),
        (
            "crystal",
            vec![
                file(
                    "main.cr",
                    "require \"./twice\"\n\nn = gets.not_nil!.strip.to_i64\nputs twice(n)\n",
                ),
                file("twice.cr", "def twice(x : Int64) : Int64\n  2_i64 * x\nend\n"),
            ],
        ),
        (
            "csharp",
            vec![
                file(
                    "Main.cs",
                    "using System;\n\nclass Program\n{\n    static void Main()\n    {\n        long n = long.Parse(Console.ReadLine().Trim());\n        Console.WriteLine(Twice.Of(n));\n    }\n}\n",
                ),
                file(
                    "Twice.cs",
                    "static class Twice\n{\n    public static long Of(long x) => 2 * x;\n}\n",
                ),
            ],
        ),
        (
            "d",
            vec![
                file(
                    "main.d",
                    "import std.conv, std.stdio, std.string;\nimport twice;\n\nvoid main()\n{\n    long n = readln().strip().to!long;\n    writeln(twiceOf(n));\n}\n",
                ),
                file(
                    "twice.d",
                    "module twice;\n\nlong twiceOf(long x)\n{\n    return 2 * x;\n}\n",
                ),
            ],
        ),
        // gfortran compiles the files in name order: a module's file must
        // come before the files that use it.
        (
            "fortran",
            vec![
                file(
                    "doubling.f90",
                    "module doubling\n  implicit none\ncontains\n  integer(kind=8) function twice(x)\n    integer(kind=8), intent(in) :: x\n    twice = 2 * x\n  end function twice\nend module doubling\n",
                ),
                file(
                    "main.f90",
                    "program main\n  use doubling\n  implicit none\n  integer(kind=8) :: n\n  read (*, *) n\n  print '(I0)', twice(n)\nend program main\n",
                ),
            ],
        ),
        (
            "modula2",
            vec![
                file("main.mod", &MODULA2_AC.replace("n := 2 * n;", "n := Twice.Of(n);").replace("FROM StrLib IMPORT StrLen;", "FROM StrLib IMPORT StrLen;\nIMPORT Twice;")),
                file(
                    "Twice.def",
                    "DEFINITION MODULE Twice;\n\nPROCEDURE Of(x: LONGINT): LONGINT;\n\nEND Twice.\n",
                ),
                file(
                    "Twice.mod",
                    "IMPLEMENTATION MODULE Twice;\n\nPROCEDURE Of(x: LONGINT): LONGINT;\nBEGIN\n  RETURN 2 * x\nEND Of;\n\nEND Twice.\n",
                ),
            ],
        ),
        (
            "nim",
            vec![
                file(
                    "main.nim",
                    "import strutils\nimport twice\n\nlet n = parseBiggestInt(stdin.readLine().strip())\necho twice(n)\n",
                ),
                file("twice.nim", "proc twice*(x: int64): int64 = 2 * x\n"),
            ],
        ),
        (
            "objectivec",
            vec![
                file(
                    "doubler.h",
                    "#import <objc/Object.h>\n\n@interface Doubler : Object\n+ (long long) twice: (long long) x;\n@end\n",
                ),
                file(
                    "doubler.m",
                    "#import \"doubler.h\"\n\n@implementation Doubler\n+ (long long) twice: (long long) x { return 2 * x; }\n@end\n",
                ),
                file(
                    "main.m",
                    "#import \"doubler.h\"\n#include <stdio.h>\n\nint main(void) {\n    long long n;\n    if (scanf(\"%lld\", &n) != 1) return 1;\n    printf(\"%lld\\n\", [Doubler twice: n]);\n    return 0;\n}\n",
                ),
            ],
        ),
        (
            "cgmp",
            vec![
                file("twice.h", "#include <gmp.h>\n\nvoid twice(mpz_t x);\n"),
                file(
                    "twice.c",
                    "#include \"twice.h\"\n\nvoid twice(mpz_t x) { mpz_mul_ui(x, x, 2); }\n",
                ),
                file(
                    "main.c",
                    "#include <gmp.h>\n#include \"twice.h\"\n\nint main(void) {\n    mpz_t n;\n    mpz_init(n);\n    if (gmp_scanf(\"%Zd\", n) != 1) return 1;\n    twice(n);\n    gmp_printf(\"%Zd\\n\", n);\n    return 0;\n}\n",
                ),
            ],
        ),
        (
            "cppgmp",
            vec![
                file("twice.h", "#include <gmpxx.h>\n\nmpz_class twice(const mpz_class& x);\n"),
                file(
                    "twice.cpp",
                    "#include \"twice.h\"\n\nmpz_class twice(const mpz_class& x) { return 2 * x; }\n",
                ),
                file(
                    "main.cpp",
                    "#include <iostream>\n#include \"twice.h\"\n\nint main() {\n    mpz_class n;\n    std::cin >> n;\n    std::cout << twice(n) << '\\n';\n}\n",
                ),
            ],
        ),
        (
            "zig",
            vec![
                file(
                    "main.zig",
                    &ZIG_AC
                        .replace("{d}\\n\", .{2 * n}", "{d}\\n\", .{twice.twice(n)}")
                        .replace(
                            "const std = @import(\"std\");",
                            "const std = @import(\"std\");\nconst twice = @import(\"twice.zig\");",
                        ),
                ),
                file("twice.zig", "pub fn twice(x: i64) i64 {\n    return 2 * x;\n}\n"),
            ],
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hello_wrong_answer_runtime_and_compile_errors_and_multi_file_programs_in_compiled_languages(
) {
    open_auth();
    testkit::require_images(LANGUAGES);
    let problems = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/problems");
    let stack = Stack::start(&problems, 1).await;
    let started = Instant::now();
    wait_until_ready(&stack.api_url, LANGUAGES, Duration::from_secs(30)).await;

    let mut programs: Vec<Program> = PROGRAMS
        .iter()
        .map(|(language, expected, code)| Program::code(language, *expected, code))
        .collect();
    for (language, files) in multi_file_programs() {
        programs.push(Program {
            label: format!("{language} (multi-file)"),
            language: language.to_string(),
            source: Source::Files(files),
            expected: AC,
        });
    }
    let total = programs.len();
    let wrong = wrong_verdicts(
        &stack.api_url,
        "compiled",
        "echo",
        programs,
        Duration::from_secs(900),
    )
    .await;
    eprintln!(
        "{total} submissions in {} languages judged in {:.1} s",
        LANGUAGES.len(),
        started.elapsed().as_secs_f64()
    );
    stack.stop().await;
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}
