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
# The Apache Kafka release the local stack runs (docs/RUNBOOK.md "Kafka versions"): 4.4.0, the newest
# 4.x Maven Central serves, by default; KAFKA_VERSION=3.9.1 for the last 3.x (npm test proves both).
# Each version has its own home (jars, storage, logs, TLS)
# under $STACK_DIR/kafka-<version>; $STACK_DIR/kafka links to the one the running broker uses.
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
KAFKA_HOME="${KAFKA_HOME:-$STACK_DIR/kafka-$KAFKA_VERSION}"
KAFKA_MAJOR="${KAFKA_VERSION%%.*}"
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
export ROOT STACK_DIR RUN_DIR KAFKA_BROKERS SCHEMA_REGISTRY_URL PGHOST PGPORT PGUSER KAFKA_VERSION KAFKA_HOME

log() { printf '[stack] %s\n' "$*" >&2; }

# kafka_log_opt DIR: the JVM option naming the broker's logging configuration in DIR (3.x reads
# log4j 1 properties through reload4j, 4.x log4j2).
kafka_log_opt() { if [[ "$KAFKA_MAJOR" -ge 4 ]]; then echo "-Dlog4j2.configurationFile=$1/log4j2.properties"; else echo "-Dlog4j.configuration=file:$1/log4j.properties"; fi; }

# kafka_class NAME: the main class of a Kafka tool in this version (4.0 moved the Scala tools to Java).
kafka_class() {
  case "$1:$KAFKA_MAJOR" in
    ConfigCommand:3) echo kafka.admin.ConfigCommand ;;
    ConfigCommand:*) echo org.apache.kafka.tools.ConfigCommand ;;
    ConsoleProducer:3) echo kafka.tools.ConsoleProducer ;;
    ConsoleProducer:*) echo org.apache.kafka.tools.ConsoleProducer ;;
    StorageTool:*) echo kafka.tools.StorageTool ;;
    *) echo "kafka_class: unknown tool $1" >&2; return 1 ;;
  esac
}

# write_kafka_logging DIR: both logging configurations (the one the version reads is used), WARN
# and above plus the broker's start/stop lines, into DIR/logs/server.log.
write_kafka_logging() {
  local dir=$1
  cat >"$dir/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$dir/logs/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS
  cat >"$dir/log4j2.properties" <<PROPS
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
appender.file.type=RollingFile
appender.file.name=file
appender.file.fileName=$dir/logs/server.log
appender.file.filePattern=$dir/logs/server.log.%i
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
appender.file.policies.type=Policies
appender.file.policies.size.type=SizeBasedTriggeringPolicy
appender.file.policies.size.size=20MB
appender.file.strategy.type=DefaultRolloverStrategy
appender.file.strategy.max=2
logger.broker.name=kafka.server.BrokerServer
logger.broker.level=INFO
PROPS
}

# link_kafka_home: points $STACK_DIR/kafka at $KAFKA_HOME (tests and docs name .local/kafka/libs
# and .local/kafka/tls/ca.pem). A pre-version layout (.local/kafka a directory of 3.9.1's jars)
# becomes kafka-3.9.1, so its storage is kept.
link_kafka_home() {
  local link="$STACK_DIR/kafka"
  if [[ -d "$link" && ! -L "$link" ]]; then
    if [[ -f "$link/libs/kafka_2.13-3.9.1.jar" && ! -e "$STACK_DIR/kafka-3.9.1" ]]; then mv "$link" "$STACK_DIR/kafka-3.9.1"
    else mv "$link" "$STACK_DIR/kafka.old-$(date +%s)"; fi
  fi
  ln -sfn "$(basename "$KAFKA_HOME")" "$link"
}

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
