#!/usr/bin/env bash
# Builds the sandbox images: judge-base:bookworm (if missing), the
# judge-runner binary, and judge-lang-<folder>:latest for each folder of
# sandbox-images/ asked for (one image may serve several language ids: cpp17
# and cpp23 run in judge-lang-cpp; python3 is PyPy in judge-lang-pypy3,
# cpython3 is judge-lang-python3). Without arguments it builds the default
# set (DEFAULT_LANGUAGES, the ten that scripts/up.sh starts with); every
# other language's image is built when an admin enables it: `judge admin
# languages enable LANG` prints the folder to pass here, and a running
# worker sees the new image within seconds. A folder's prepare.sh, if any, runs on the host first
# with the build context as its argument (the Kotlin compiler comes from npm,
# Zig's from PyPI).
#
#   scripts/build-images.sh              # the default set
#   scripts/build-images.sh cpp python3  # a subset
#   scripts/build-images.sh lua ocaml    # languages outside the default set
#   JUDGE_LANGUAGES="cpp go" scripts/build-images.sh
#
# Idempotent: docker's layer cache keeps the toolchain layer when only the
# runner changed. Needs root (debootstrap, docker).
set -euo pipefail

# problem-package/src/language/table.rs DEFAULT_IMAGES (a unit test holds them equal).
DEFAULT_LANGUAGES=(c cpp python3 pypy3 java kotlin rust go javascript haskell)
BASE_IMAGE="${JUDGE_BASE_IMAGE:-judge-base:bookworm}"
SUITE="${JUDGE_BASE_SUITE:-bookworm}"

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
ROOT="$(pwd)"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build-images: error: %s\n' "$*" >&2; exit 1; }

# Languages: arguments, else $JUDGE_LANGUAGES, else the default set.
if [ "$#" -gt 0 ]; then
    LANGS=("$@")
elif [ -n "${JUDGE_LANGUAGES:-}" ]; then
    read -r -a LANGS <<<"${JUDGE_LANGUAGES//,/ }"
else
    LANGS=("${DEFAULT_LANGUAGES[@]}")
fi
for lang in "${LANGS[@]}"; do
    [ -f "sandbox-images/$lang/Dockerfile" ] || die "unknown language '$lang' (no sandbox-images/$lang/Dockerfile)"
done

command -v docker >/dev/null || die "docker not found"
docker info >/dev/null 2>&1 || die "cannot talk to the docker daemon (are you root?)"

TMPDIRS=()
cleanup() { for d in "${TMPDIRS[@]}"; do rm -rf "$d"; done; }
trap cleanup EXIT

# (a) the base image
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "base image $BASE_IMAGE exists"
else
    log "base image $BASE_IMAGE missing: bootstrapping Debian $SUITE (minbase)"
    [ "$(id -u)" = 0 ] || die "debootstrap needs root"
    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap"
        apt-get update
        apt-get install -y debootstrap
    fi
    rootfs="$(mktemp -d /tmp/judge-base.XXXXXX)"
    TMPDIRS+=("$rootfs")
    debootstrap --variant=minbase "$SUITE" "$rootfs"
    log "importing $rootfs as $BASE_IMAGE"
    tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE"
    rm -rf "$rootfs"
fi

# (b) the runner
log "cargo build --release -p judge-runner"
cargo build --release -p judge-runner
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RUNNER="$TARGET_DIR/release/judge-runner"
[ -x "$RUNNER" ] || die "runner binary not found at $RUNNER"

# (c) one image per language
for lang in "${LANGS[@]}"; do
    ctx="$(mktemp -d /tmp/judge-image-$lang.XXXXXX)"
    TMPDIRS+=("$ctx")
    cp "sandbox-images/$lang/Dockerfile" "$ctx/Dockerfile"
    cp "$RUNNER" "$ctx/judge-runner"
    chmod 0755 "$ctx/judge-runner"
    if [ -x "sandbox-images/$lang/prepare.sh" ]; then
        log "sandbox-images/$lang/prepare.sh"
        "sandbox-images/$lang/prepare.sh" "$ctx"
    fi
    log "docker build -t judge-lang-$lang:latest (base $BASE_IMAGE)"
    docker build --build-arg "BASE=$BASE_IMAGE" -t "judge-lang-$lang:latest" "$ctx"
    rm -rf "$ctx"
done

log "built: ${LANGS[*]/#/judge-lang-}"
