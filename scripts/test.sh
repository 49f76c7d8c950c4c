#!/usr/bin/env bash
# npm test: installs what is missing, brings up the stack (reusing what runs), type-checks, lints,
# builds, runs every unit and integration test and then the fault suite (`npm run test:faults`
# runs only that), and stops only what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
bash scripts/install.sh
# The broker release of this run (scripts/stack/env.sh), named in the fault reports.
KAFKA_VERSION=$(bash -c 'source scripts/stack/env.sh; echo "$KAFKA_VERSION"'); export KAFKA_VERSION
export STARTED_LIST; STARTED_LIST=$(mktemp)
trap 'bash scripts/stack/down.sh; rm -f "$STARTED_LIST"' EXIT
bash scripts/stack/up.sh
if [[ "${1:-}" != "--faults-only" ]]; then
  echo "[test] type-check, lint and build every project" >&2
  npx tsc -p tsconfig.json
  npx nx run-many -t lint build --outputStyle=static
  # What is no Nx project: the benchmarks, the scripts' TypeScript and their checks, the tools.
  npx eslint bench scripts tools
  echo "[test] layer boundaries and formatting" >&2
  npx depcruise --config .dependency-cruiser.cjs libs services schemas migrations
  npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "[test] not formatted: run npm run format" >&2; exit 1; }
  echo "[test] unit and integration tests" >&2
  # --forceExit: a failing test may leak a Kafka client; CI must end with its verdict, not hang.
  npx jest --ci --forceExit "$@"
fi
# The fault suite restarts the broker and the registry: it runs after everything else, alone.
echo "[test] fault suite (docs/reliability-last-run.md)" >&2
npx jest --ci --forceExit -c faults/jest.config.js --runInBand
# The other supported Kafka line, on the tests that touch the broker's protocol (docs/RUNBOOK.md
# "Kafka versions"); KAFKA_PROOF_VERSIONS="" skips it, "3.9.1 4.0.2" runs several.
if [[ "${1:-}" != "--faults-only" ]]; then
  other=4.4.0; [[ "$KAFKA_VERSION" == 3.* ]] || other=3.9.1
  for v in ${KAFKA_PROOF_VERSIONS-$other}; do bash scripts/test-kafka-version.sh "$v"; done
fi
