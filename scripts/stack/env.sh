# Shared defaults for the local stack scripts. Every address can be overridden from the environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_DIR="${STACK_DIR:-$ROOT/.local}"
RUN_DIR="${RUN_DIR:-$STACK_DIR/run}"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_BROKERS="${KAFKA_BROKERS:-$KAFKA_HOST:$KAFKA_PORT}"
# The local broker also listens with SASL (PLAIN, SCRAM-SHA-256/512) and with TLS, so that the
# clients' security settings are tested against real listeners. Local credentials only.
KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-9094}"
KAFKA_SSL_PORT="${KAFKA_SSL_PORT:-9095}"
KAFKA_LOCAL_SASL_USER="${KAFKA_LOCAL_SASL_USER:-dashboard}"
KAFKA_LOCAL_SASL_PASSWORD="${KAFKA_LOCAL_SASL_PASSWORD:-dashboard-local-secret}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx1g}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"
SCHEMA_REGISTRY_URL="${SCHEMA_REGISTRY_URL:-http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7}"
REGISTRY_DB="${REGISTRY_DB:-apicurio_registry}"
# Apicurio also serves health and metrics on a management port of its own.
REGISTRY_MANAGEMENT_PORT="${REGISTRY_MANAGEMENT_PORT:-9000}"
REGISTRY_LOG="${REGISTRY_LOG:-$STACK_DIR/apicurio-logs/registry-$REGISTRY_PORT.log}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
export ROOT STACK_DIR RUN_DIR KAFKA_BROKERS SCHEMA_REGISTRY_URL PGHOST PGPORT PGUSER

log() { printf '[stack] %s\n' "$*" >&2; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_for NAME SECONDS CMD...: polls CMD once a second until it succeeds.
wait_for() {
  local name=$1 secs=$2; shift 2
  for ((i = 0; i < secs; i++)); do
    if "$@"; then return 0; fi
    sleep 1
  done
  log "$name did not become ready within ${secs}s"
  return 1
}

# find_java MIN: prints a java binary of at least version MIN (PATH first, then /usr/lib/jvm/*).
find_java() {
  local min=$1 cand v
  for cand in "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
    [[ -x "$cand" ]] || continue
    v=$("$cand" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [[ -n "$v" && "${v%%.*}" -ge "$min" ]]; then echo "$cand"; return 0; fi
  done
  return 1
}

# stop_pid NAME PIDFILE [SIGNAL]: SIGNAL (TERM), up to 30 s to exit, then KILL; removes the pid file.
stop_pid() {
  local name=$1 file=$2 signal=${3:-TERM}
  [[ -f "$file" ]] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill "-$signal" "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$file"
}
