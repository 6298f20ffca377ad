# Shared by scripts/up.sh and scripts/test.sh: make a fresh Debian machine
# (as root) able to run the judge. Each step does nothing when already done.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JUDGE_STATE_DIR="${JUDGE_STATE_DIR:-$REPO_ROOT/.judge}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages the judge needs that are missing.
ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ "${#missing[@]}" -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "installing ${missing[*]} needs root"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${missing[@]}" >/dev/null
  fi
  command -v cargo >/dev/null 2>&1 || [ -x "$HOME/.cargo/bin/cargo" ] || die "cargo (Rust 1.88 or newer) is needed: install it with rustup"
  export PATH="$HOME/.cargo/bin:$PATH"
}

# Starts the Docker daemon in the background unless one answers.
ensure_dockerd() {
  if docker info >/dev/null 2>&1; then return; fi
  log "starting dockerd"
  mkdir -p "$JUDGE_STATE_DIR"
  nohup /usr/sbin/dockerd >"$JUDGE_STATE_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return
    sleep 1
  done
  die "dockerd did not start; see $JUDGE_STATE_DIR/dockerd.log"
}

# Builds the base image and every language's sandbox image (cached by Docker).
ensure_images() {
  log "building sandbox images"
  bash "$REPO_ROOT/scripts/build-images.sh" "$@"
}

ensure_all() {
  ensure_packages
  ensure_dockerd
  ensure_images "$@"
}

# Prints a TCP port nobody listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
