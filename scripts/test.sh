#!/usr/bin/env bash
# npm test: installs what is missing, brings up the stack (reusing what runs), type-checks, lints,
# builds, runs every unit and integration test, and stops only what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
bash scripts/install.sh
export STARTED_LIST; STARTED_LIST=$(mktemp)
trap 'bash scripts/stack/down.sh; rm -f "$STARTED_LIST"' EXIT
bash scripts/stack/up.sh
echo "[test] type-check, lint and build every project" >&2
npx tsc -p tsconfig.json
npx nx run-many -t lint build --outputStyle=static
echo "[test] unit and integration tests" >&2
npx jest --ci "$@"
