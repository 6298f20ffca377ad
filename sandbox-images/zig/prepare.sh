#!/usr/bin/env bash
# Host-side step of the Zig image, run by scripts/build-images.sh with the
# docker build context as $1: puts the Zig compiler, as PyPI's `ziglang`
# wheel carries it (the official Linux x86_64 release: the `zig` binary and
# its lib/ folder), into the context as ziglang.whl.
#
# It runs on the host, not in a build stage, because the host's pip is the
# client set up to reach the registry here; a container on the build network
# is not. The version and checksum are pinned, and the wheel is cached so
# rebuilds download nothing.
set -euo pipefail

ZIG_VERSION=0.17.1
WHEEL="ziglang-$ZIG_VERSION-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.musllinux_1_1_x86_64.whl"
WHEEL_SHA256=ea6cc5d87b033cf0aedfbc8f9549a908cae6c50ac31f1698188fa48a74524b54
CACHE="${JUDGE_IMAGE_CACHE:-/var/cache/judge-images}"

ctx="${1:?usage: prepare.sh BUILD_CONTEXT}"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

verified() { [ -f "$1" ] && echo "$WHEEL_SHA256  $1" | sha256sum -c --status -; }

mkdir -p "$CACHE"
if ! verified "$CACHE/$WHEEL"; then
    pip=""
    for candidate in pip3 pip; do
        command -v "$candidate" >/dev/null && { pip="$candidate"; break; }
    done
    if [ -z "$pip" ]; then
        log "installing pip (to fetch the Zig compiler from PyPI)"
        apt-get update
        apt-get install -y --no-install-recommends python3-pip
        pip=pip3
    fi
    log "$pip download ziglang==$ZIG_VERSION (x86_64 Linux wheel)"
    tmp="$(mktemp -d)"
    "$pip" download --quiet --no-deps --only-binary=:all: \
        --platform manylinux_2_12_x86_64 --python-version 3.11 --implementation py \
        --dest "$tmp" "ziglang==$ZIG_VERSION"
    verified "$tmp/$WHEEL" || { echo "prepare.sh: $WHEEL missing or not matching its pinned sha256" >&2; rm -rf "$tmp"; exit 1; }
    mv "$tmp/$WHEEL" "$CACHE/$WHEEL"
    rm -rf "$tmp"
fi
cp "$CACHE/$WHEEL" "$ctx/ziglang.whl"
