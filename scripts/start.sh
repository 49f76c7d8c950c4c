#!/usr/bin/env bash
# npm start: installs what is missing, brings up the stack (reusing what runs), applies migrations,
# builds and starts every service, and prints where each listens. Ctrl-C stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

bash scripts/install.sh
# What runs, how many of each and on which ports, from the process manifest (SERVICES, DEMO_TRAFFIC,
# REPLICAS; scripts/start/plan.ts): "<name>\t<log>\t<metrics target or ->\t<VAR=value>…" per instance.
PLAN=$(npx tsx scripts/start/plan.ts) || exit $?
mapfile -t SERVICES < <(cut -f1 <<<"$PLAN" | awk '!seen[$0]++')
export STARTED_LIST; STARTED_LIST=$(mktemp)
TARGETS=$(mktemp)  # "<job> <host:port>" of every process started, for MONITORING=true
pids=()
cleanup() {
  trap - EXIT INT TERM
  exec 2>/dev/null  # the "a service exited" line below is not news when we are the ones stopping
  echo "[start] stopping services" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  [[ -n "${tailpid:-}" ]] && kill "$tailpid" 2>/dev/null
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ "${MONITORING:-false}" == "true" ]] && bash scripts/stack/monitoring.sh down
  bash scripts/stack/down.sh
  rm -f "$STARTED_LIST" "$TARGETS"
}
trap cleanup EXIT
# Ctrl-C is how a user stops the pipeline: stop everything and end without a failure message.
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

bash scripts/stack/up.sh
# KAFKA_BROKER_COUNT=3: the pipeline runs on the local 3-broker cluster (docs/RUNBOOK.md).
if [[ "${KAFKA_BROKER_COUNT:-1}" == 3 ]]; then export KAFKA_BROKERS; KAFKA_BROKERS=$(bash scripts/stack/cluster.sh brokers); fi
npx tsx migrations/src/cli.ts
# Schemas are registered once, here, before any service starts (services only look ids up): on an
# empty registry, services that each registered at start raced each other into HTTP 409s.
npx tsx libs/event-codec/src/register-schemas-cli.ts
echo "[start] building ${SERVICES[*]}" >&2
# The dashboard page (services/dashboard-web) is served by the query API at /.
npx nx run-many -t build -p "${SERVICES[@]}" dashboard-web --outputStyle=static >/dev/null

# Private to the user: the demo's log holds a dashboard token that signs in for 24 hours.
LOG_DIR="$ROOT/.local/logs"; mkdir -p "$LOG_DIR"; chmod 700 "$LOG_DIR"
logs=()
declare -A name_of=()
while IFS=$'\t' read -r name logfile target settings; do
  log="$LOG_DIR/$logfile"
  read -r -a env <<<"${settings//$'\t'/ }"
  [[ "$target" == "-" ]] || echo "$name $target" >>"$TARGETS"
  logs+=("$log")
  : >"$log"; chmod 600 "$log"
  # A bounded heap: V8 otherwise lets garbage grow to several times the live set (raw sink: 450 MB
  # resident unbounded, about 210 MB at 160; docs/BENCHMARKS.md). The old generation starts at half
  # the bound: under a bound V8 grows it only ~1.3× the live set, and a busy service then ran a full
  # collection every ~60 ms (ingest: 142 in 10 s, p99 28 → 12 ms with it).
  heap=${NODE_HEAP_MB:-160}
  # Two malloc arenas, not one per thread: see deploy/docker/entrypoint.sh.
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  env "${env[@]}" node --max-old-space-size="$heap" --initial-old-space-size=$((heap / 2)) --enable-source-maps \
    "services/$name/dist/main.js" </dev/null >>"$log" 2>&1 &
  pids+=($!)
  name_of[$!]=$name
done <<<"$PLAN"
monitoring_info=
if [[ "${MONITORING:-false}" == "true" ]]; then
  bash scripts/stack/monitoring.sh up "$TARGETS"
  monitoring_info="
  Prometheus        http://127.0.0.1:${PROMETHEUS_PORT:-9090}/alerts   (scrapes every process above; rules deploy/prometheus/alerts.yml)
  Alertmanager      http://127.0.0.1:${ALERTMANAGER_PORT:-9193}/#/alerts
"
fi
# One stream of every service's log, each block headed by its file name.
tail -n +1 -F "${logs[@]}" 2>/dev/null &
tailpid=$!

cat <<INFO

  Pipeline is starting. Logs: .local/logs/<service>.log (followed below).
  Ctrl-C stops everything this command started.

  dashboard page    http://127.0.0.1:${QUERY_PORT:-8080}/?star_id=…   (the demo traffic prints a link with a ready token)
  query API         http://127.0.0.1:${QUERY_PORT:-8080}/api/v1/dashboard/<read>?star_id=…   (JWT; reference: /openapi.json)
  ingest            http://127.0.0.1:${INGEST_PORT:-8090}/v1/events   (Authorization: Bearer ${INGEST_TOKEN:-dev-ingest-token})
  health, metrics   $(awk -F'\t' '$3 != "-" { sub(/^127.0.0.1/, "", $3); printf "%s %s  ", $1, $3 }' <<<"$PLAN")
                    (/healthz, /metrics; query and ingest serve their API on the same port)
  Kafka             ${KAFKA_BROKERS:-127.0.0.1:9092}   topic ${TOPIC_PREFIX:-dashboard}.events
  schema registry   ${SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}
  Postgres          ${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dashboard}
${monitoring_info}
INFO
dead=
wait -n -p dead "${pids[@]}" && code=0 || code=$?
name=${name_of[$dead]:-unknown}
# A service that stops on its own is a failure of `npm start`, whatever its exit code.
{
  echo "[start] a service exited: $name (exit code $code); stopping the rest. Last lines of .local/logs/$name.log:"
  tail -n 15 "$LOG_DIR/$name.log" | sed 's/^/    /'
} >&2
exit 1
