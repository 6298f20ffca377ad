#!/usr/bin/env bash
# Host-side step of the Kotlin image, run by scripts/build-images.sh with the
# docker build context as $1: puts JetBrains' Kotlin compiler distribution,
# as the npm registry's `kotlin-compiler` package carries it, into the
# context as kotlin-compiler.tgz.
#
# It runs on the host, not in a build stage, because the host's npm is the
# client set up to reach the registry here (its CA bundle included); a
# container on the build network is not. The version and checksum are
# pinned, and the tarball is cached so rebuilds download nothing.
set -euo pipefail

KOTLIN_VERSION=2.4.20
KOTLIN_SHA512=205e4854cecba4f840fe7b47410a5a56dd72c6969a428bed11560bcaa58cb9a2ebd177a52cf3e6effb0ce872e1b5c4638e3a12b0aec8ee53f693360990ccbbdf
CACHE="${JUDGE_IMAGE_CACHE:-/var/cache/judge-images}"
TGZ="kotlin-compiler-$KOTLIN_VERSION.tgz"

ctx="${1:?usage: prepare.sh BUILD_CONTEXT}"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

verified() { [ -f "$1" ] && echo "$KOTLIN_SHA512  $1" | sha512sum -c --status -; }

mkdir -p "$CACHE"
if ! verified "$CACHE/$TGZ"; then
    if ! command -v npm >/dev/null; then
        log "installing npm (to fetch the Kotlin compiler from the npm registry)"
        apt-get update
        apt-get install -y --no-install-recommends npm
    fi
    log "npm pack kotlin-compiler@$KOTLIN_VERSION"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null)
    verified "$tmp/$TGZ" || { echo "prepare.sh: $TGZ does not match its pinned sha512" >&2; rm -rf "$tmp"; exit 1; }
    mv "$tmp/$TGZ" "$CACHE/$TGZ"
    rm -rf "$tmp"
fi
cp "$CACHE/$TGZ" "$ctx/kotlin-compiler.tgz"
