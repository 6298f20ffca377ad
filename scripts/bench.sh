#!/usr/bin/env bash
# Runs the benchmarks and writes the figures into docs/benchmarks.md.
#
#   scripts/bench.sh [PART] [bench options]
#
# PART: overhead | naive | dmoj | throughput | api | gateway | contest | all
# (default all; all leaves contest out).
# throughput: `--workload benchsum|real|all` (default all), `--submissions N`
# per benchsum burst, `--real-submissions N` per real-like package burst;
# `scripts/bench.sh throughput --workload real` reruns only the real-like
# packages and rewrites only their section of docs/benchmarks.md.
# Options go to the bench binary (`cargo run --release -p bench -- --help`),
# e.g. a quick run: scripts/bench.sh all --submissions 40 --clients 2000 --reps 3
#
# Installs what it needs (docker, redis, sandbox images via lib.sh; redis-tools
# for redis-benchmark; libseccomp-dev and DMOJ in a venv under target/bench),
# builds release, runs, prints the table and rewrites the results section of
# docs/benchmarks.md. Set BENCH_NO_DOCS=1 to leave the doc alone.
#
# `contest` (a synthesized contest's board: Replay::apply per verdict, the
# scoreboard route, 5,000 WebSocket viewers on two gateways) needs neither
# Docker nor the sandbox images, and rewrites only its own section of
# docs/benchmarks.md (between the `contest-results` markers).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

PART="${1:-all}"
[ $# -gt 0 ] && shift

if [ "$PART" = contest ]; then
  ensure_packages
else
  ensure_all
fi
command -v redis-benchmark >/dev/null 2>&1 || {
  log "installing redis-tools (redis-benchmark)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-tools >/dev/null
}
command -v g++ >/dev/null 2>&1 || {
  log "installing g++ (raw host baseline, DMOJ)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q g++ >/dev/null
}

mkdir -p target/bench
DMOJ_NOTE=""
if [ "$PART" = dmoj ] || [ "$PART" = all ]; then
  if [ ! -x target/bench/dmoj-venv/bin/dmoj-cli ]; then
    log "installing DMOJ (pip install dmoj) into target/bench/dmoj-venv (time box 10 min)"
    if ! dpkg -s libseccomp-dev >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q libseccomp-dev >/dev/null || true
    fi
    PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
    if ! { "$PY" -m venv target/bench/dmoj-venv \
        && timeout 600 target/bench/dmoj-venv/bin/pip install -q dmoj >target/bench/dmoj-install.log 2>&1; }; then
      DMOJ_NOTE="pip install dmoj failed: see target/bench/dmoj-install.log"
      log "$DMOJ_NOTE (the DMOJ rows will say so)"
    fi
  fi
fi

log "building release binaries"
if [ "$PART" = contest ]; then
  cargo build --release --quiet -p api -p ws-gateway -p bench
else
  cargo build --release --quiet -p api -p judge-worker -p ws-gateway -p bench
fi

# 10,000 WebSocket clients need 10,000 sockets here and as many in the gateway.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
log "open-file limit $(ulimit -n)"

RESULTS=target/bench/results.md
log "running bench $PART $*"
BENCH_BIN_DIR="$REPO_ROOT/target/release" target/release/bench "$PART" --markdown "$RESULTS" "$@"

[ "${BENCH_NO_DOCS:-0}" = 1 ] && exit 0

DOC=docs/benchmarks.md
mkdir -p docs

# Replaces the lines between `<!-- NAME: begin` and `<!-- NAME: end` in
# $DOC (markers included) with FILE.
replace_section() {
  local name="$1" file="$2"
  if grep -q "^<!-- $name: begin" "$DOC"; then
    awk -v section="$file" -v begin="^<!-- $name: begin" -v end="^<!-- $name: end" '
      $0 ~ begin { while ((getline line < section) > 0) print line; skip = 1; next }
      $0 ~ end { skip = 0; next }
      !skip { print }' "$DOC" >target/bench/doc-new.md
    cp target/bench/doc-new.md "$DOC"
  else
    echo "no $name markers in $DOC: the section is in $file" >&2
  fi
}
if [ "$PART" = contest ]; then
  {
    echo "<!-- contest-results: begin (written by scripts/bench.sh contest) -->"
    echo
    echo "### Latest contest run"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(uname -sr)"
    echo "- load average at the end of the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- command: \`scripts/bench.sh contest $*\`"
    [ -n "${BENCH_NOTE:-}" ] && echo "- note: $BENCH_NOTE"
    echo
    cat "$RESULTS"
    echo
    echo "<!-- contest-results: end -->"
  } >target/bench/contest-section.md
  replace_section contest-results target/bench/contest-section.md
  log "wrote the contest section of $DOC"
  exit 0
fi

# The real-like packages' rows of part 4 (`throughput`) go to their own
# section too, with the run's date, machine and load; `--workload real`
# (those rows only) leaves the rest of the doc alone.
REAL_PART="4 throughput, real-like"
if grep -q "^| $REAL_PART |" "$RESULTS"; then
  {
    echo "<!-- real-packages-results: begin (written by scripts/bench.sh throughput) -->"
    echo
    echo "### Latest run on the real-like packages"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), $((SECONDS / 60)) min"
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(uname -sr)"
    echo "- load average at the end of the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- command: \`scripts/bench.sh $PART $*\`"
    [ -n "${BENCH_NOTE:-}" ] && echo "- note: $BENCH_NOTE"
    echo
    echo "| part | metric | ours | baseline | ratio | note |"
    echo "|---|---|---|---|---|---|"
    grep "^| $REAL_PART |" "$RESULTS"
    echo
    echo "<!-- real-packages-results: end -->"
  } >target/bench/real-section.md
  replace_section real-packages-results target/bench/real-section.md
  log "wrote the real-packages section of $DOC"
fi
case " $* " in
  *" --workload real "* | *" --workload=real "*) exit 0 ;;
esac
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(uname -sr), $(docker version --format 'Docker {{.Server.Version}}' 2>/dev/null || echo docker)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "<!-- results: written by scripts/bench.sh; everything below this line is replaced on each run -->"
  echo
  echo "## Latest results"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $machine"
  echo "- load average at the end of the run: $load"
  echo "- command: \`scripts/bench.sh $PART $*\`"
  [ -n "$DMOJ_NOTE" ] && echo "- DMOJ: $DMOJ_NOTE"
  [ -n "${BENCH_NOTE:-}" ] && echo "- note: $BENCH_NOTE"
  echo
  cat "$RESULTS"
} >target/bench/results-section.md

if [ -f "$DOC" ] && grep -q '^<!-- results:' "$DOC"; then
  sed -n '/^<!-- results:/q;p' "$DOC" >target/bench/doc-head.md
  cat target/bench/doc-head.md target/bench/results-section.md >"$DOC"
else
  cat target/bench/results-section.md >>"$DOC"
fi
log "wrote $DOC"
