#!/bin/sh
# One image, every process: the first argument names it.
#   <service>          services/<service>/dist/main.js (raw-sink, query-api, ingest, …)
#   migrate            apply database migrations (a Job before the services)
#   register-schemas   register the Avro schemas (a Job before the services)
set -e
what="${1:-query-api}"
# The old generation starts at half the bound (see scripts/start.sh: without it a busy service runs
# a full collection every ~60 ms).
heap_mb="${NODE_HEAP_MB:-160}"
# glibc gives each thread that allocates its own malloc arena, and Buffers freed across them stay
# resident: two arenas took the income aggregator's peak over a 2M-event backlog from 258-271 to
# 252-253 MiB at the same throughput (docs/BENCHMARKS.md).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
case "$what" in
  migrate) exec node --enable-source-maps migrations/dist/cli.js ;;
  register-schemas) exec node --enable-source-maps libs/event-codec/dist/register-schemas.js ;;
  *)
    if [ ! -f "services/$what/dist/main.js" ]; then
      echo "unknown process '$what'; one of: migrate register-schemas $(ls services | tr '\n' ' ')" >&2
      exit 2
    fi
    exec node --enable-source-maps --max-old-space-size="$heap_mb" --initial-old-space-size=$((heap_mb / 2)) "services/$what/dist/main.js" ;;
esac
