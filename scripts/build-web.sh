#!/usr/bin/env bash
# Builds the web editor into web/dist (what the API serves with
# JUDGE_WEB_DIR=web/dist). Installs the pinned npm packages first when
# web/node_modules is missing or older than package-lock.json. Idempotent;
# run from anywhere. Needs node 20+ and npm; no network once installed.
set -euo pipefail
web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
cd "$web"

command -v node >/dev/null || { echo "build-web: node is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "build-web: npm is not installed" >&2; exit 1; }

# npm ci writes node_modules/.package-lock.json; if it is missing or differs
# from the lock file, node_modules is stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ] \
   || [ ! -x node_modules/.bin/esbuild ]; then
  echo "build-web: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

node build.mjs
