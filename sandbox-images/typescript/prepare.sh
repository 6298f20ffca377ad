#!/usr/bin/env bash
# Host-side step of the TypeScript image, run by scripts/build-images.sh with
# the docker build context as $1: puts the TypeScript compiler and Node.js's
# type definitions, as the npm registry carries them, into the context as
# typescript.tgz, types-node.tgz and undici-types.tgz (@types/node's one
# dependency).
#
# Debian 12's node-typescript is tsc 4.8 (2022). TypeScript 5.9 is the last
# compiler written in TypeScript (7 is a native Go port whose defaults
# changed); it runs on the image's Node.js 18 and needs no dependency.
# @types/node 18 matches that Node.js: without it `require`, `process` and
# `fs` are unknown names and every program reading stdin fails to type-check.
#
# It runs on the host, as sandbox-images/kotlin/prepare.sh does, because the
# host's npm is the client set up to reach the registry. Versions and sha512
# checksums (npm's `dist.integrity`) are pinned, and the tarballs are cached
# so rebuilds download nothing.
set -euo pipefail

PACKAGES=(
    "typescript 5.9.3 typescript-5.9.3.tgz 8e5d6f6733c38a72ebf5e52ddc9feded5e8580d130f508ef04f772b33f4a7d00c3e357d0ac2d98e2f290762694a454f86d795bd511e12e9a7cc2d9ba3394e04b typescript.tgz"
    "@types/node 18.19.130 types-node-18.19.130.tgz 191697431ea319f2fcb0a7da2030fa3aea5b20706bf63bfb2676a697db41ee5e2fd3af0f00e5ea7dcba330ca393e16c8b3a8204755ce0c42ea6a14f647cbf47e types-node.tgz"
    "undici-types 5.26.5 undici-types-5.26.5.tgz 26508c3be7a174420aaa517193a21f568014566833edc53bcc3fe1f57674ab37a8b121e650954ecd242fbd84985979055c2f887cb29221f7e1bf4b1566ea7aa4 undici-types.tgz"
)
CACHE="${JUDGE_IMAGE_CACHE:-/var/cache/judge-images}"

ctx="${1:?usage: prepare.sh BUILD_CONTEXT}"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

verified() { [ -f "$1" ] && echo "$2  $1" | sha512sum -c --status -; }

mkdir -p "$CACHE"
for entry in "${PACKAGES[@]}"; do
    read -r name version tgz sha512 as <<<"$entry"
    if ! verified "$CACHE/$tgz" "$sha512"; then
        if ! command -v npm >/dev/null; then
            log "installing npm (to fetch TypeScript from the npm registry)"
            apt-get update
            apt-get install -y --no-install-recommends npm
        fi
        log "npm pack $name@$version"
        tmp="$(mktemp -d)"
        (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
        verified "$tmp/$tgz" "$sha512" || { echo "prepare.sh: $tgz does not match its pinned sha512" >&2; rm -rf "$tmp"; exit 1; }
        mv "$tmp/$tgz" "$CACHE/$tgz"
        rm -rf "$tmp"
    fi
    cp "$CACHE/$tgz" "$ctx/$as"
done
