#!/usr/bin/env bash
# The benchmarks that depend on the broker, on each supported Kafka release in one run, in turn
# (3.9.1, 4.4.0, 3.9.1, 4.4.0 by default), on the same machine: the raw sink and the aggregation
# (each against its limits, BENCH_EVENTS events; aggregation includes freshness) and the HTTP
# ingest, every section titled with its release.
#   npm run bench:kafka-versions   (BENCH_KAFKA_VERSIONS, BENCH_KAFKA_BENCHES="raw-sink aggregation
#                                   ingest", BENCH_EVENTS=300000, BENCH_RUNS=1)
# Restarts the local broker for each release (the stack's own, recorded in .local/run; a broker
# this script did not start is refused, since it would be measured instead).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export BENCH_EVENTS=${BENCH_EVENTS:-300000} BENCH_RUNS=${BENCH_RUNS:-1}
for v in ${BENCH_KAFKA_VERSIONS:-3.9.1 4.4.0 3.9.1 4.4.0}; do
  export KAFKA_VERSION=$v BENCH_KAFKA_VERSION=$v
  bash scripts/stack/down.sh
  if (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null; then echo "[bench] a broker not started by the stack scripts answers on 9092: stop it first" >&2; exit 1; fi
  bash scripts/stack/up.sh
  echo "[bench] Kafka $v" >&2
  for b in ${BENCH_KAFKA_BENCHES:-raw-sink aggregation ingest}; do
    case $b in
      raw-sink) npx tsx bench/raw-sink.bench.ts ;;
      aggregation) npx tsx bench/aggregation.bench.ts ;;
      ingest) npx tsx bench/http.bench.ts ingest ;;
      *) echo "[bench] unknown bench $b" >&2; exit 2 ;;
    esac
  done
done
bash scripts/stack/down.sh
