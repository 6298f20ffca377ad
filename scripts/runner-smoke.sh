#!/usr/bin/env bash
# Smoke test of judge-runner inside a real sandbox container, started the way
# the worker starts it. Needs the judge-lang-cpp image (scripts/build-images.sh cpp).
#   scripts/runner-smoke.sh [IMAGE]
# Exits non-zero if any check fails.
set -euo pipefail
# Languages for the "hello" check: $SMOKE_LANGS, else every judge-lang-* image present.
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
IMAGE="${1:-judge-lang-cpp:latest}"

CIDS=()
trap 'for c in "${CIDS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done' EXIT
start() {  # start IMAGE: prints the container id
    docker run -d --read-only \
        --tmpfs /work:rw,exec,nosuid,nodev,size=256m,mode=0755 \
        --tmpfs /tmp:rw,exec,nosuid,nodev,size=64m,mode=1777 \
        --ulimit nofile=256:256 --ulimit fsize=268435456:268435456 --cpus 1 \
        --network none --cap-drop ALL --cap-add SETUID --cap-add SETGID \
        --cap-add CHOWN --cap-add KILL --security-opt no-new-privileges \
        --memory 512m --memory-swap 512m --pids-limit 128 --init \
        "$1" sleep infinity
}
CID="$(start "$IMAGE")"; CIDS+=("$CID")
echo "container ${CID:0:12} from $IMAGE"
status=0

(CID="$CID" python3 - <<'PY'
import io, json, os, subprocess, sys, tarfile

CID = os.environ["CID"]
p = subprocess.Popen(["docker", "exec", "-i", "-u", "0", CID, "judge-runner", "serve"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
failures = []

def read_msg():
    line = p.stdout.readline()
    if not line:
        raise SystemExit("runner closed its stdout")
    msg = json.loads(line)
    body = b""
    if msg.get("type") == "report" and msg.get("stdout_len"):
        body = p.stdout.read(msg["stdout_len"])
    return msg, body

def send(req, payload=b""):
    p.stdin.write(json.dumps(req).encode() + b"\n" + payload)
    p.stdin.flush()
    return read_msg()

def check(name, cond, detail):
    print(("PASS " if cond else "FAIL ") + name + ("" if cond else f"  -- {detail}"))
    if not cond:
        failures.append(name)

def tar_of(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name); info.size = len(data); info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()

def upload(files):
    data = tar_of(files)
    return send({"op": "upload", "len": len(data)}, data)

def limits(cpu=1000, wall=3000, mem=256 * 1024, out=1 << 20, nofile=64):
    return {"cpu_ms": cpu, "wall_ms": wall, "memory_kb": mem, "output_bytes": out,
            "file_size_bytes": 16 << 20, "open_files": nofile}

def run(argv, input="1.in", **kw):
    return send({"op": "run", "argv": argv, "env": [], "input": input, "limits": limits(**kw)})

def compile_(argv, **kw):
    return send({"op": "compile", "argv": argv, "env": [], "limits": limits(**kw)})

ready, _ = read_msg()
check("ready", ready.get("type") == "ready", ready)

P = {
 "hello.cpp": r'''#include <cstdio>
int main(){long a,b; if(scanf("%ld %ld",&a,&b)!=2) return 1; printf("hello %ld\n",a+b); fprintf(stderr,"to stderr\n");}''',
 "loop.cpp": r'''int main(){volatile unsigned long x=0; for(;;) x++;}''',
 "mem.cpp": r'''#include <cstdlib>
#include <cstring>
int main(){ for(int i=0;i<2048;i++){ char*p=(char*)malloc(1<<20); memset(p,1,1<<20);} return 0;}''',
 "out.cpp": r'''#include <cstdio>
int main(){ for(;;) fputs("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n", stdout);}''',
 "abort.cpp": r'''#include <cstdlib>
int main(){ abort(); }''',
 "exit3.cpp": r'''#include <cstdlib>
int main(){ exit(3); }''',
 "spy.cpp": r'''#include <cstdio>
#include <csignal>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
int main(){
  printf("uid=%d\n", (int)getuid());
  printf("open_tests=%s\n", open("/work/tests/1.in", O_RDONLY) >= 0 ? "LEAK" : "denied");
  printf("list_tests=%s\n", opendir("/work/tests") ? "LEAK" : "denied");
  printf("reopen_stdin=%s\n", open("/proc/self/fd/0", O_RDONLY) >= 0 ? "LEAK" : "denied");
  printf("write_build=%s\n", open("/work/build/new", O_WRONLY|O_CREAT, 0644) >= 0 ? "LEAK" : "denied");
  printf("write_binary=%s\n", open("/work/build/hello", O_WRONLY) >= 0 ? "LEAK" : "denied");
  printf("kill_parent=%s\n", kill(getppid(), SIGKILL) == 0 ? "LEAK" : "denied");
  char path[64]; snprintf(path, sizeof path, "/proc/%d/fd/1", (int)getppid());
  printf("runner_stdout=%s\n", open(path, O_WRONLY) >= 0 ? "LEAK" : "denied");
  printf("runner_stdout_pid1=%s\n", open("/proc/1/fd/1", O_WRONLY) >= 0 ? "LEAK" : "denied");
  int fd = open("/tmp/leftover", O_WRONLY|O_CREAT, 0644); printf("tmp_write=%s\n", fd >= 0 ? "ok" : "failed");
  fd = open("/dev/shm/leftover", O_WRONLY|O_CREAT, 0644); printf("shm_write=%s\n", fd >= 0 ? "ok" : "failed");
}''',
 "tmpcheck.cpp": r'''#include <cstdio>
#include <unistd.h>
int main(){ printf("tmp_leftover=%s\n", access("/tmp/leftover", F_OK)==0 ? "present" : "absent");
  printf("shm_leftover=%s\n", access("/dev/shm/leftover", F_OK)==0 ? "present" : "absent"); }''',
 "fork.cpp": r'''#include <unistd.h>
int main(){ for(;;) fork(); }''',
 "daemon.cpp": r'''#include <unistd.h>
int main(){ if(fork()==0){ setsid(); if(fork()==0){ close(1); close(2); sleep(1000);} } return 0; }''',
}
files = {"build/" + k: v.encode() for k, v in P.items()}
files["tests/1.in"] = b"2 40\n"
up, _ = upload(files)
check("upload", up == {"type": "uploaded", "files": len(files)}, up)

names = [k[:-4] for k in P]
script = " && ".join(f"g++ -O2 -o {n} {n}.cpp" for n in names)
c, _ = compile_(["sh", "-c", script], cpu=60000, wall=120000, mem=512 * 1024)
check("compile ok", c.get("termination") == "exited" and c.get("exit_code") == 0, c)

r, out = run(["./hello"])
check("hello stdout", out == b"hello 42\n" and r["termination"] == "exited" and r["exit_code"] == 0, (r, out))
check("hello stderr", r.get("stderr") == "to stderr\n", r)
r, out = run(["./hello"], nofile=1 << 20)
check("open_files above the container's hard limit is clamped", out == b"hello 42\n", (r, out))

r, _ = run(["./loop"], cpu=1000, wall=5000)
check("infinite loop -> cpu_limit", r["termination"] == "cpu_limit" and r["cpu_ms"] > 1000 and r["wall_ms"] < 4000, r)

r, _ = run(["sleep", "100"], cpu=1000, wall=1000)
check("sleep -> wall_limit", r["termination"] == "wall_limit" and 1000 <= r["wall_ms"] < 3000, r)

r, _ = run(["./mem"], mem=256 * 1024, wall=10000)
check("memory bomb -> memory_limit", r["termination"] == "memory_limit", r)
# Limit above the container's 512 MiB: the cgroup OOM killer must be the one to stop it.
r, _ = run(["./mem"], mem=1024 * 1024, wall=10000)
check("memory bomb past the cgroup -> memory_limit (OOM killer)", r["termination"] == "memory_limit", r)

r, out = run(["./out"], out=1 << 20, wall=10000)
check("print forever -> output_limit", r["termination"] == "output_limit" and len(out) == 1 << 20 and r["stdout_len"] == 1 << 20, (r, len(out)))

r, _ = run(["./abort"])
check("abort -> signaled 6", r["termination"] == "signaled" and r.get("signal") == 6, r)

r, _ = run(["./exit3"])
check("exit(3) -> exited 3", r["termination"] == "exited" and r.get("exit_code") == 3, r)

up, _ = upload({"tests/2.in": b"1 1\n"})
check("tests-only upload after compile", up == {"type": "uploaded", "files": 1}, up)
r, out = run(["./hello"], input="2.in")
check("second test input", out == b"hello 2\n", (r, out))
r, out = run(["./spy"])
text = out.decode(errors="replace")
check("spy ran", r["termination"] == "exited" and "uid=65534" in text, (r, text))
check("no sandbox escape", "LEAK" not in text, text)
print("   " + text.replace("\n", "\n   ").rstrip())
r, out = run(["./tmpcheck"])
check("/tmp wiped between runs", b"tmp_leftover=absent" in out, out)
check("/dev/shm wiped between runs", b"shm_leftover=absent" in out, out)

def sandbox_procs():
    ps = subprocess.run(["docker", "top", CID, "-eo", "uid,pid,comm"], capture_output=True, text=True).stdout
    return [l for l in ps.splitlines()[1:] if l.split()[0] in ("65534", "nobody")]

r, _ = run(["./fork"], cpu=2000, wall=2000)
check("fork bomb ends", r["termination"] in ("wall_limit", "cpu_limit", "signaled", "exited", "memory_limit"), r)
left = sandbox_procs()
check("fork bomb leaves no processes", not left, left)

r, _ = run(["./daemon"])
check("daemon parent exits", r["termination"] == "exited" and r.get("exit_code") == 0, r)
left = sandbox_procs()
check("daemonized sleeper is killed", not left, left)

r, _ = run(["./hello"], input="../etc/passwd")
check("bad input name -> error", r.get("type") == "error", r)
r, _ = run(["./hello"], input="missing.in")
check("missing input -> error", r.get("type") == "error", r)
r, _ = run(["./no-such-binary"])
check("exec failure -> error", r.get("type") == "error", r)

# A second submission in the same container: re-upload, compile error.
up, _ = upload({"build/bad.cpp": b"int main() { return undefined_name; }\n"})
check("re-upload after lock", up.get("type") == "uploaded", up)
c, _ = compile_(["g++", "-o", "bad", "bad.cpp"], cpu=30000, wall=60000, mem=512 * 1024)
check("compile error -> non-zero exit with message",
      c.get("termination") == "exited" and c.get("exit_code") not in (0, None) and "undefined_name" in c.get("stderr", ""), c)

# Still answering after all that; then Exit ends it.
r, out = run(["./hello"])
check("still serving", out == b"hello 42\n", (r, out))
p.stdin.write(b'{"op":"exit"}\n'); p.stdin.flush()
check("exit", p.wait(timeout=10) == 0, p.returncode)

print(f"{len(failures)} failure(s)" + (": " + ", ".join(failures) if failures else ""))
sys.exit(1 if failures else 0)
PY
) || status=1

if [ -n "${SMOKE_LANGS:-}" ]; then
    read -r -a LANGS <<<"${SMOKE_LANGS//,/ }"
else
    LANGS=()
    for l in c cpp python3 java rust go javascript; do
        docker image inspect "judge-lang-$l:latest" >/dev/null 2>&1 && LANGS+=("$l")
    done
fi
for lang in "${LANGS[@]}"; do
    CID="$(start "judge-lang-$lang:latest")"; CIDS+=("$CID")
    echo "== $lang: container ${CID:0:12}"
    (CID="$CID" LANG_ID="$lang" python3 - <<'PY'
import io, json, os, subprocess, sys, tarfile
CID, L = os.environ["CID"], os.environ["LANG_ID"]
# Mirrors problem-package/src/language.rs.
T = {
 "c": ("main.c", ["gcc","-O2","-std=gnu17","-pipe","-o","main","main.c","-lm"], ["./main"], [],
       '#include <stdio.h>\nint main(){long a,b;scanf("%ld %ld",&a,&b);printf("hello %ld\\n",a+b);return 0;}\n'),
 "cpp": ("main.cpp", ["g++","-O2","-std=gnu++17","-pipe","-o","main","main.cpp"], ["./main"], [],
       '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<"hello "<<a+b<<"\\n";}\n'),
 "python3": ("main.py", ["python3","-m","py_compile","main.py"], ["python3","main.py"],
       [["PYTHONDONTWRITEBYTECODE","1"],["PYTHONIOENCODING","utf-8"]],
       'a,b=map(int,input().split())\nprint("hello",a+b)\n'),
 "java": ("Main.java", ["javac","-encoding","UTF-8","-J-Xss64m","-d",".","Main.java"],
       ["java","-Xss64m","-Xmx256m","-XX:+UseSerialGC","-XX:TieredStopAtLevel=1","-cp",".","Main"], [],
       'import java.util.*;\npublic class Main{public static void main(String[] x){Scanner s=new Scanner(System.in);long a=s.nextLong(),b=s.nextLong();System.out.println("hello "+(a+b));}}\n'),
 "rust": ("main.rs", ["rustc","-O","--edition","2021","-o","main","main.rs"], ["./main"], [],
       'use std::io::*;\nfn main(){let mut s=String::new();stdin().read_to_string(&mut s).unwrap();let v:Vec<i64>=s.split_whitespace().map(|x|x.parse().unwrap()).collect();println!("hello {}",v[0]+v[1]);}\n'),
 "go": ("main.go", ["go","build","-o","main","main.go"], ["./main"],
       [["GOCACHE","/tmp/gocache"],["GOPATH","/tmp/gopath"],["GO111MODULE","off"],["CGO_ENABLED","0"]],
       'package main\nimport "fmt"\nfunc main(){var a,b int64;fmt.Scan(&a,&b);fmt.Printf("hello %d\\n",a+b)}\n'),
 "javascript": ("main.js", ["node","--check","main.js"], ["node","main.js"], [],
       'const [a,b]=require("fs").readFileSync(0,"utf8").trim().split(/\\s+/).map(Number);console.log("hello "+(a+b));\n'),
}
src, comp, run, env, code = T[L]
p = subprocess.Popen(["docker","exec","-i","-u","0",CID,"judge-runner","serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def msg():
    m = json.loads(p.stdout.readline()); body = b""
    if m.get("type") == "report" and m.get("stdout_len"): body = p.stdout.read(m["stdout_len"])
    return m, body
def send(r, payload=b""):
    p.stdin.write(json.dumps(r).encode()+b"\n"+payload); p.stdin.flush(); return msg()
def lim(cpu, wall, mem=256*1024):
    return {"cpu_ms":cpu,"wall_ms":wall,"memory_kb":mem,"output_bytes":1<<20,"file_size_bytes":64<<20,"open_files":256}
msg()
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    for n, d in (("build/"+src, code.encode()), ("tests/1.in", b"2 40\n")):
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
up, _ = send({"op":"upload","len":len(buf.getvalue())}, buf.getvalue())
c, _ = send({"op":"compile","argv":comp,"env":env,"limits":lim(60000,120000,512*1024)})
ok_c = c.get("type") == "report" and c.get("termination") == "exited" and c.get("exit_code") == 0
r, out = send({"op":"run","argv":run,"env":env,"input":"1.in","limits":lim(5000,10000)})
ok = ok_c and out == b"hello 42\n"
print(("PASS " if ok else "FAIL ") + f"{L} hello (compile {c.get('cpu_ms')} ms cpu, run {r.get('cpu_ms')} ms cpu, {r.get('memory_kb')} KiB)" + ("" if ok else f" -- {up} {c} {r} {out!r}"))
p.stdin.write(b'{"op":"exit"}\n'); p.stdin.close(); p.wait(timeout=10)
sys.exit(0 if ok else 1)
PY
    ) || status=1
done
exit $status
