#!/usr/bin/env bash
# npm start: installs what is missing, brings up the stack (reusing what runs), applies migrations,
# builds and starts every service, and prints where each listens. Ctrl-C stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
default_services="raw-sink income-aggregator asset-aggregator presence-aggregator cache-invalidator lag-exporter query-api ingest"
[[ "${DEMO_TRAFFIC:-true}" == "false" ]] || default_services+=" demo-traffic"
read -r -a SERVICES <<<"${SERVICES:-$default_services}"

bash scripts/install.sh
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
# REPLICAS="income-aggregator=2 raw-sink=3": more instances of a consumer group, scaled by hand
# (they share the group's partitions). Extra instance i serves /healthz on the group's port + 100·(i−1).
declare -A health_var=([raw-sink]=RAW_SINK_HEALTH_PORT [income-aggregator]=INCOME_AGG_HEALTH_PORT [asset-aggregator]=ASSET_AGG_HEALTH_PORT
  [cache-invalidator]=INVALIDATOR_HEALTH_PORT [presence-aggregator]=PRESENCE_AGG_HEALTH_PORT)
declare -A health_port=([raw-sink]=9101 [income-aggregator]=9102 [asset-aggregator]=9103 [cache-invalidator]=9104 [presence-aggregator]=9105)
# Where every process with /metrics serves it (MONITORING=true scrapes each instance started below).
declare -A metrics_var=([lag-exporter]=LAG_EXPORTER_PORT [query-api]=QUERY_PORT [ingest]=INGEST_PORT)
declare -A metrics_port=([lag-exporter]=9106 [query-api]=8080 [ingest]=8090)
for svc in "${!health_var[@]}"; do metrics_var[$svc]=${health_var[$svc]}; metrics_port[$svc]=${health_port[$svc]}; done
declare -A replicas=()
for r in ${REPLICAS:-}; do
  n=${r#*=}; svc=${r%%=*}
  if [[ -z "${health_var[$svc]:-}" || ! "$n" =~ ^[1-9][0-9]?$ ]]; then
    echo "[start] REPLICAS: '$r' — only consumer groups scale this way (${!health_var[*]}), with a count of 1-99" >&2; exit 2
  fi
  replicas[$svc]=$n
done
for name in "${SERVICES[@]}"; do
  for ((i = 1; i <= ${replicas[$name]:-1}; i++)); do
    log="$LOG_DIR/$name.log"; env=()
    if ((i > 1)); then log="$LOG_DIR/$name-$i.log"; fi
    if [[ -n "${metrics_var[$name]:-}" ]]; then
      var=${metrics_var[$name]}; port=$((${!var:-${metrics_port[$name]}} + 100 * (i - 1)))
      if ((i > 1)); then env=("$var=$port"); fi
      echo "$name 127.0.0.1:$port" >>"$TARGETS"
    fi
    logs+=("$log")
    : >"$log"; chmod 600 "$log"
    # A bounded heap: V8 otherwise lets garbage grow to several times the live set (raw sink: 450 MB
    # resident unbounded, about 210 MB at 160; docs/BENCHMARKS.md). The old generation starts at half
    # the bound: under a bound V8 grows it only ~1.3× the live set, and a busy service then ran a full
    # collection every ~60 ms (ingest: 142 in 10 s, p99 28 → 12 ms with it).
    heap=${NODE_HEAP_MB:-160}
    env "${env[@]}" node --max-old-space-size="$heap" --initial-old-space-size=$((heap / 2)) --enable-source-maps \
      "services/$name/dist/main.js" >>"$log" 2>&1 &
    pids+=($!)
    name_of[$!]=$name
  done
done
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
  health, metrics   raw-sink :${RAW_SINK_HEALTH_PORT:-9101}  income-aggregator :${INCOME_AGG_HEALTH_PORT:-9102}  asset-aggregator :${ASSET_AGG_HEALTH_PORT:-9103}  presence-aggregator :${PRESENCE_AGG_HEALTH_PORT:-9105}
                    cache-invalidator :${INVALIDATOR_HEALTH_PORT:-9104}  lag-exporter :${LAG_EXPORTER_PORT:-9106}  (/healthz, /metrics; query and ingest serve their own)
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
