#!/usr/bin/env bash
# Installs what is missing: npm packages (when package-lock.json changed) and the stack's jars.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
stamp=node_modules/.lock-hash
hash() { cat package.json package-lock.json | sha256sum | cut -d' ' -f1; }
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$(hash)" ]]; then
  # `npm install` rather than `npm ci`: npm 11 writes lock files without other platforms' optional
  # binaries (@swc/core-*), which `npm ci` then refuses as out of sync. The lock still pins versions.
  echo "[install] npm install (first run or package.json/package-lock.json changed)" >&2
  npm install --no-audit --no-fund --loglevel=error
  hash >"$stamp"
fi
bash scripts/stack/install.sh
