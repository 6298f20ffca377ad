#!/usr/bin/env bash
# Starts the whole judge locally: Redis (AOF), the API with the web editor,
# the WebSocket gateway and the workers. Installs Docker, Redis and the
# sandbox images first when they are missing.
#
#   scripts/up.sh            run in the foreground; Ctrl-C stops everything
#   scripts/up.sh --detach   leave it running in the background
#   scripts/up.sh --stop     stop a detached stack
#
# Settings (environment): JUDGE_API_PORT (8080), JUDGE_GATEWAY_PORT (8081),
# JUDGE_REDIS_PORT (6379), JUDGE_WORKERS (1), JUDGE_CONCURRENCY (2).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

api_port="${JUDGE_API_PORT:-8080}"
gateway_port="${JUDGE_GATEWAY_PORT:-8081}"
redis_port="${JUDGE_REDIS_PORT:-6379}"
workers="${JUDGE_WORKERS:-1}"
pid_file="$JUDGE_STATE_DIR/pids"
logs="$JUDGE_STATE_DIR/logs"

stop_stack() {
  [ -f "$pid_file" ] || return 0
  while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$pid_file"
  rm -f "$pid_file"
}

case "${1:-}" in
  --stop) stop_stack; log "stopped"; exit 0 ;;
  --detach|"") ;;
  *) die "usage: scripts/up.sh [--detach|--stop]" ;;
esac

ensure_all
log "building the services (release)"
cargo build --release --quiet -p api -p judge-worker -p ws-gateway -p judge-cli
stop_stack
mkdir -p "$logs" "$JUDGE_STATE_DIR/redis"
bin="$REPO_ROOT/target/release"

start() { # name, command...
  local name="$1"; shift
  "$@" >>"$logs/$name.log" 2>&1 &
  echo $! >>"$pid_file"
}

export REDIS_URL="redis://127.0.0.1:$redis_port"
if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  log "using the Redis already on port $redis_port"
else
  log "starting redis on port $redis_port (AOF in $JUDGE_STATE_DIR/redis)"
  start redis redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$JUDGE_STATE_DIR/redis" \
    --appendonly yes --appendfsync everysec --save ''
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# Tokens are required. The admin token lives in .judge/admin-token (mode 0600).
admin_token_file="$JUDGE_STATE_DIR/admin-token"
if [ ! -s "$admin_token_file" ]; then
  (umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$admin_token_file")
fi
export JUDGE_ADMIN_TOKEN_FILE="$admin_token_file"

start gateway env JUDGE_GATEWAY_ADDR="127.0.0.1:$gateway_port" "$bin/ws-gateway"
start api env JUDGE_API_ADDR="127.0.0.1:$api_port" JUDGE_PROBLEMS_DIR="$REPO_ROOT/problems" \
  JUDGE_WEB_DIR="$REPO_ROOT/web/dist" JUDGE_GATEWAY_URL="ws://127.0.0.1:$gateway_port" "$bin/api"
for i in $(seq 1 "$workers"); do
  start "worker-$i" env JUDGE_WORKER_NAME="$(hostname)-worker-$i" JUDGE_CONCURRENCY="${JUDGE_CONCURRENCY:-2}" \
    JUDGE_CACHE_DIR="$JUDGE_STATE_DIR/cache" "$bin/judge-worker"
done

for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null || { tail -n 20 "$logs"/*.log; stop_stack; die "the API did not come up"; }

# A user token for whoever runs this, saved for the CLI and shown for the page.
user="${JUDGE_USER:-${USER:-$(id -un)}}"
user_token=$("$bin/judge" --url "http://127.0.0.1:$api_port" --token "$(cat "$admin_token_file")" \
  admin user add "$user" 2>/dev/null)
[ -n "$user_token" ] || { stop_stack; die "could not create a token for $user"; }
"$bin/judge" --url "http://127.0.0.1:$api_port" login --token "$user_token" >/dev/null

cat <<MSG

  The judge is running.
    web editor   http://127.0.0.1:$api_port/
    API          http://127.0.0.1:$api_port/api/problems
    WebSocket    ws://127.0.0.1:$gateway_port/ws/submissions/<id>
    CLI          $bin/judge submit problems/aplusb/submissions/accepted/fast_io.py --problem aplusb
                 (logged in as $user)
    your token   $user_token
                 (paste it under Settings in the web editor)
    admin token  $admin_token_file
    logs         $logs/

MSG

if [ "${1:-}" = "--detach" ]; then
  log "detached; stop it with scripts/up.sh --stop"
  exit 0
fi
trap 'stop_stack; log "stopped"; exit 0' INT TERM
log "Ctrl-C stops the stack"
wait
