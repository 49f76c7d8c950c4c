#!/usr/bin/env bash
# The parts of the suite that touch the broker's protocol, on a Kafka release other than the
# default (npm test runs it for 3.9.1): produce and consume (publisher, raw sink through SIGKILL),
# consumer groups and rebalances (two instances per group), a stuck partition, compression from a
# Java producer, SASL PLAIN/SCRAM and TLS, and the 3-broker leader kill and network cut. The broker
# is a second one of its own (ports 29092-29095, own STACK_DIR and RUN_DIR), stopped at the end; the
# registry, Postgres and Redis are the main run's.
#   bash scripts/test-kafka-version.sh 3.9.1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VERSION=${1:?usage: test-kafka-version.sh VERSION}
export KAFKA_VERSION=$VERSION STACK_DIR="$ROOT/.local/proof" RUN_DIR="$ROOT/.local/proof/run"
export KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 KAFKA_SASL_PORT=29094 KAFKA_SSL_PORT=29095
export KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT FAULT_REPORT_SUFFIX="-kafka-$VERSION"
mkdir -p "$STACK_DIR"
# The registry the main run uses (Apicurio is not fetched again into the proof's STACK_DIR).
export SCHEMA_REGISTRY_URL=${SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}
export STARTED_LIST; STARTED_LIST=$(mktemp)
trap 'bash scripts/stack/down.sh; rm -f "$STARTED_LIST"' EXIT
bash scripts/stack/up.sh
echo "[test] Kafka $VERSION: protocol-touching tests on a broker of that version" >&2
npx jest --ci --forceExit \
  libs/kafka-runner/test/security.test.ts libs/kafka-runner/test/compression.test.ts \
  libs/kafka-runner/test/stuck-partition.test.ts libs/producer/test/publisher.test.ts \
  services/raw-sink/test/raw-path.test.ts services/query-api/test/scaling.test.ts
echo "[test] Kafka $VERSION: the 3-broker cluster scenarios" >&2
npx jest --ci --forceExit -c faults/jest.config.js --runInBand faults/test/cluster.test.ts
