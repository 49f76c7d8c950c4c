#!/usr/bin/env bash
# npm run soak: an hour of faults (faults/src/soak/main.ts; settings SOAK_MINUTES, SOAK_RATE,
# SOAK_FAULT_EVERY_MINUTES). Brings up what the soak shares with the stack (the schema registry),
# reusing what runs, and stops only what it started. Not part of npm test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/install.sh
export STARTED_LIST; STARTED_LIST=$(mktemp)
trap 'bash scripts/stack/down.sh; rm -f "$STARTED_LIST"' EXIT
bash scripts/stack/up.sh
# A registry just started is empty: the soak's producer and services only look schema ids up.
npx tsx libs/event-codec/src/register-schemas-cli.ts
# The load and its oracle are held in memory (2,000 events/s for an hour: 7.2 million events).
node --max-old-space-size=16384 --import tsx faults/src/soak/main.ts
