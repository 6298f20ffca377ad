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
docker-compose build
[ "$#" -gt 0 ] && exec docker-compose "$@"
