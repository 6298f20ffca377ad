#!/usr/bin/env bash
# Load test: a burst of submissions (default 1000 from 100 users) against the
# services as separate processes; prints the time taken and peak memory.
#   LOAD_SUBMISSIONS=1000 LOAD_USERS=100 LOAD_WORKERS=2 scripts/load-test.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_all
cargo build --release --workspace --quiet
cargo test --release -p judge-tests --test load -- --ignored --nocapture
