#!/usr/bin/env bash
# Brings up the local stack: reuses what already answers, starts what is missing, and records
# what it started in $RUN_DIR so that down.sh stops only that.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
mkdir -p "$RUN_DIR"
# STARTED_LIST (optional): a file to which the names of the components this run started are
# appended, so that the caller can later stop exactly those (down.sh honours the same variable).
started() { [[ -n "${STARTED_LIST:-}" ]] && echo "$1" >>"$STARTED_LIST"; return 0; }

check_postgres() { port_open "$PGHOST" "$PGPORT"; }
check_redis() { port_open "$REDIS_HOST" "$REDIS_PORT"; }

if ! check_postgres; then
  if command -v pg_ctlcluster >/dev/null; then
    log "PostgreSQL not answering on $PGHOST:$PGPORT; starting the Debian cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    touch "$RUN_DIR/postgres.started"; started postgres
    wait_for PostgreSQL 30 check_postgres
  else
    log "PostgreSQL not reachable at $PGHOST:$PGPORT and no local cluster to start (apt-get install postgresql)"; exit 1
  fi
fi
if ! check_redis; then
  if command -v redis-server >/dev/null; then
    log "Redis not answering on $REDIS_HOST:$REDIS_PORT; starting redis-server"
    mkdir -p "$STACK_DIR/redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir "$STACK_DIR/redis" --pidfile "$RUN_DIR/redis.pid" --logfile "$STACK_DIR/redis/redis.log"
    started redis
    wait_for Redis 15 check_redis
  else
    log "Redis not reachable at $REDIS_HOST:$REDIS_PORT and redis-server is not installed (apt-get install redis-server)"; exit 1
  fi
fi

# `up.sh --brokers 3` (npm run stack:up -- --brokers 3): Kafka as a 3-broker KRaft cluster
# (scripts/stack/cluster.sh; replication 3, min.insync.replicas 2) instead of the single broker.
BROKER_COUNT=${KAFKA_BROKER_COUNT:-1}
[[ "${1:-}" == "--brokers" ]] && BROKER_COUNT=${2:-}
case "$BROKER_COUNT" in
  1) ;;
  3)
    bash "$ROOT/scripts/stack/cluster.sh" up
    started kafka-cluster
    KAFKA_BROKERS=$(bash "$ROOT/scripts/stack/cluster.sh" brokers)
    ;;
  *) log "--brokers: 1 (default) or 3, not '$BROKER_COUNT'"; exit 2 ;;
esac

kafka_ready() { [[ "$BROKER_COUNT" == 3 ]] || port_open "$KAFKA_HOST" "$KAFKA_PORT"; }
registry_ready() { curl -fsS -o /dev/null "$SCHEMA_REGISTRY_URL/subjects" 2>/dev/null; }

kafka_ready || bash "$ROOT/scripts/stack/install.sh" kafka
registry_ready || bash "$ROOT/scripts/stack/install.sh" registry

if ! kafka_ready; then
  KDIR="$KAFKA_HOME"
  mkdir -p "$KDIR/data" "$KDIR/logs" "$KDIR/tls"
  link_kafka_home
  # A self-signed certificate for the TLS listener; its PEM is the CA clients trust (tls/ca.pem).
  if [[ ! -f "$KDIR/tls/broker.p12" ]]; then
    keytool="$(dirname "$(readlink -f "$(command -v java)")")/keytool"
    "$keytool" -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=$KAFKA_HOST" \
      -ext "SAN=IP:$KAFKA_HOST,DNS:localhost" -keystore "$KDIR/tls/broker.p12" -storetype PKCS12 -storepass changeit -keypass changeit >/dev/null 2>&1
    "$keytool" -exportcert -rfc -alias broker -keystore "$KDIR/tls/broker.p12" -storepass changeit -file "$KDIR/tls/ca.pem" >/dev/null 2>&1
  fi
  cat > "$KDIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT,SASL_PLAINTEXT://$KAFKA_HOST:$KAFKA_SASL_PORT,SSL://$KAFKA_HOST:$KAFKA_SSL_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,SASL_PLAINTEXT://$KAFKA_HOST:$KAFKA_SASL_PORT,SSL://$KAFKA_HOST:$KAFKA_SSL_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_LOCAL_SASL_USER="$KAFKA_LOCAL_SASL_PASSWORD";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.ssl.ssl.keystore.location=$KDIR/tls/broker.p12
listener.name.ssl.ssl.keystore.type=PKCS12
listener.name.ssl.ssl.keystore.password=changeit
listener.name.ssl.ssl.key.password=changeit
log.dirs=$KDIR/data
num.partitions=12
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  write_kafka_logging "$KDIR"
  if [[ ! -f "$KDIR/data/meta.properties" ]]; then
    log "formatting Kafka KRaft storage in $KDIR/data"
    java -cp "$KDIR/libs/*" "$(kafka_log_opt "$KDIR")" kafka.tools.StorageTool format \
      -t "$(java -cp "$KDIR/libs/*" "$(kafka_log_opt "$KDIR")" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)" \
      -c "$KDIR/server.properties" --ignore-formatted >/dev/null
  fi
  log "starting Kafka $KAFKA_VERSION (KRaft) on $KAFKA_HOST:$KAFKA_PORT"
  # shellcheck disable=SC2086
  nohup java $KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    "$(kafka_log_opt "$KDIR")" -Dkafka.logs.dir="$KDIR/logs" \
    -cp "$KDIR/libs/*" kafka.Kafka "$KDIR/server.properties" >"$KDIR/logs/stdout.log" 2>&1 &
  echo $! >"$RUN_DIR/kafka.pid"; started kafka
fi

if ! registry_ready; then
  ADIR="$STACK_DIR/apicurio"
  mkdir -p "$STACK_DIR/apicurio-logs"
  # Schemas are kept in PostgreSQL so that ids survive a registry restart (the default store is in memory).
  if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc "select 1 from pg_database where datname='$REGISTRY_DB'" | grep -q 1; then
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "create database $REGISTRY_DB" >/dev/null
  fi
  REGISTRY_JAVA="${REGISTRY_JAVA:-$(find_java 21)}" || { log "Apicurio Registry 3.3 needs Java 21+; none found (set REGISTRY_JAVA)"; exit 1; }
  log "starting Apicurio Registry on port $REGISTRY_PORT (Confluent API at $SCHEMA_REGISTRY_URL)"
  nohup "$REGISTRY_JAVA" -Xms128m -Xmx512m \
    -Dquarkus.http.port="$REGISTRY_PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT" -Dquarkus.management.host=127.0.0.1 \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=postgresql \
    -Dapicurio.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$REGISTRY_DB" \
    -Dapicurio.datasource.username="$PGUSER" -Dapicurio.datasource.password="${PGPASSWORD:-postgres}" \
    -Dquarkus.http.access-log.enabled=false -Dquarkus.log.level=WARN -Dquarkus.log.category.\"io.apicurio\".level=INFO \
    -jar "$ADIR/quarkus-run.jar" >"$REGISTRY_LOG" 2>&1 &
  echo $! >"$RUN_DIR/registry.pid"; started registry
fi

# A process that died while starting fails the wait at once, with the tail of its log.
alive_or_die() {
  local name=$1 pidfile=$2 logfile=$3
  if [[ -f "$pidfile" ]] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "$name exited while starting; last lines of $logfile:"; tail -n 20 "$logfile" >&2; rm -f "$pidfile"; exit 1
  fi
}
kafka_up() { alive_or_die Kafka "$RUN_DIR/kafka.pid" "$KAFKA_HOME/logs/stdout.log"; kafka_ready; }
registry_up() { alive_or_die "Schema registry" "$RUN_DIR/registry.pid" "$REGISTRY_LOG"; registry_ready; }
wait_for Kafka 90 kafka_up
# SCRAM users live in the cluster metadata: created once per storage (the marker goes with it).
if [[ -f "$RUN_DIR/kafka.pid" && -d "$KAFKA_HOME/data" && ! -f "$KAFKA_HOME/data/.scram-users" ]]; then
  scram_ok=1
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do  # one mechanism per request: the broker refuses two
    java -cp "$KAFKA_HOME/libs/*" "$(kafka_log_opt "$KAFKA_HOME")" "$(kafka_class ConfigCommand)" \
      --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" --alter --entity-type users --entity-name "$KAFKA_LOCAL_SASL_USER" \
      --add-config "$mechanism=[password=$KAFKA_LOCAL_SASL_PASSWORD]" >/dev/null 2>&1 || scram_ok=
  done
  if [[ -n "$scram_ok" ]]; then touch "$KAFKA_HOME/data/.scram-users"; else log "could not create the local SCRAM user (SASL tests will say so)"; fi
fi
wait_for "Schema registry" 120 registry_up
[[ "$BROKER_COUNT" == 1 ]] || log "services reach the cluster with: export KAFKA_BROKERS=$KAFKA_BROKERS"
log "ready: kafka=$KAFKA_BROKERS registry=$SCHEMA_REGISTRY_URL postgres=$PGHOST:$PGPORT redis=$REDIS_HOST:$REDIS_PORT"
