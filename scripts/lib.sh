# Shared by scripts/up.sh and scripts/test.sh: make a fresh Debian machine
# (as root) able to run the judge. Each step does nothing when already done.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JUDGE_STATE_DIR="${JUDGE_STATE_DIR:-$REPO_ROOT/.judge}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt-get install, with one `apt-get update` first per run.
APT_UPDATED=""
apt_install() {
  [ "$(id -u)" = 0 ] || die "installing $* needs root"
  log "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$APT_UPDATED" ]; then apt-get update -q >/dev/null; APT_UPDATED=1; fi
  apt-get install -y -q "$@" >/dev/null
}

# Installs the Debian packages the judge needs that are missing.
ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # The Sentinel failover test (tests/tests/sentinel.rs) starts three sentinels.
  command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  # The API renders statement figures given as PDF to PNG at import (pdftoppm).
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
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

# Builds the web editor into web/dist (npm packages pinned by the lock file).
ensure_web() {
  log "building the web editor"
  bash "$REPO_ROOT/scripts/build-web.sh"
}

# What the browser test needs: Debian's Chromium (never a downloaded one)
# and playwright-core.
ensure_browser_test() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  if [ ! -d "$REPO_ROOT/tests/browser/node_modules/playwright-core" ]; then
    log "installing the browser test's packages"
    (cd "$REPO_ROOT/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

ensure_all() {
  ensure_packages
  ensure_dockerd
  ensure_images "$@"
  ensure_web
}

# Prints a TCP port nobody listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
