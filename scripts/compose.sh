#!/usr/bin/env bash
# Builds everything docker-compose.yml needs, then passes its arguments to
# docker-compose:  scripts/compose.sh up -d --scale judge-worker=4
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_all
command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose
log "building the services (release)"
cargo build --release --quiet -p api -p judge-worker -p ws-gateway -p judge-cli
# docker-compose reads .env by itself, so later plain docker-compose commands
# see the same admin token.
if ! grep -qs '^JUDGE_ADMIN_TOKEN=' .env; then
  (umask 077; echo "JUDGE_ADMIN_TOKEN=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >>.env)
fi
log "the admin token is in .env (JUDGE_ADMIN_TOKEN)"
docker-compose build
if [ "$#" -gt 0 ]; then exec docker-compose "$@"; fi
