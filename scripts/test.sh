#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, unit and integration tests on
# a real Redis and a real Docker daemon. Installs what is missing first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

# One build per run: incremental caches would only double the disk it takes.
export CARGO_INCREMENTAL=0
ensure_all
# The languages outside the default set that tests/tests/more_languages.rs
# judges (cached by Docker after the first build).
MORE_LANGUAGES=(bash awk lua perl ruby php pascal)
ensure_images "${MORE_LANGUAGES[@]}"
# The managed-runtime and interpreted languages tests/tests/languages_interpreted.rs judges.
INTERPRETED_LANGUAGES=(elixir erlang forth lisp octave prolog racket scala typescript python3numpy r ocaml)
ensure_images "${INTERPRETED_LANGUAGES[@]}"
# The compiled languages that tests/tests/languages_compiled.rs judges.
COMPILED_LANGUAGES=(ada algol68 cobol crystal csharp d fortran modula2 nim objectivec cgmp cppgmp zig)
ensure_images "${COMPILED_LANGUAGES[@]}"
ensure_browser_test
log "the web page's logic in Node (web/test, no stack, no browser)"
(cd web && npm test --silent)
log "cargo fmt --check"
cargo fmt --all -- --check
log "import circles between modules"
python3 scripts/check-cycles.py
log "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
log "building binaries used by the tests"
cargo build --workspace --quiet
log "cargo test"
cargo test --workspace -- --test-threads="${JUDGE_TEST_THREADS:-2}"
