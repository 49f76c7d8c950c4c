#!/usr/bin/env bash
# A 3-broker KRaft cluster on this one machine, each broker in a network namespace of its own so
# that one can be cut off the network for real (not only killed).
#
#   cluster.sh up          start what is missing (reuses running brokers), wait until all 3 answer
#   cluster.sh down        stop the brokers this script started, remove the namespaces
#   cluster.sh kill N      SIGKILL broker N          cluster.sh start N   start broker N again
#   cluster.sh cut N       take broker N off the network (its process keeps running)
#   cluster.sh heal N      put it back               cluster.sh brokers   print the bootstrap list
#   cluster.sh leader TOPIC [PARTITION]   the node id that leads it
#
# Brokers are N=1..3 at 10.213.0.1N:9092 (controller :9093), replication 3, min.insync.replicas 2,
# reached from the host over a bridge. Needs root (network namespaces). `npm run stack:up -- --brokers 3`
# runs `up`; the fault suite's cluster scenarios use kill/cut.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
CDIR="$STACK_DIR/kafka-cluster-$KAFKA_VERSION" # storage is per version: formatted by one, read by it
BRIDGE=fankbr0
NODES=(1 2 3)
addr() { echo "10.213.0.1$1"; }
ns() { echo "fan-kafka-$1"; }
pidfile() { echo "$RUN_DIR/kafka-cluster-$1.pid"; }
brokers() { local out=() n; for n in "${NODES[@]}"; do out+=("$(addr "$n"):9092"); done; (IFS=,; echo "${out[*]}"); }

need_root() {
  [[ $(id -u) -eq 0 ]] || { log "the 3-broker cluster puts each broker in a network namespace: run as root"; exit 1; }
  command -v ip >/dev/null || { log "ip (iproute2) is required for the cluster's network namespaces"; exit 1; }
}

network_up() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add 10.213.0.1/24 dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  local n
  for n in "${NODES[@]}"; do
    ip netns list | grep -qw "$(ns "$n")" || ip netns add "$(ns "$n")"
    if ! ip link show "fank${n}h" >/dev/null 2>&1; then
      ip link add "fank${n}h" type veth peer name "fank${n}n"
      ip link set "fank${n}n" netns "$(ns "$n")"
      ip link set "fank${n}h" master "$BRIDGE"
      ip -n "$(ns "$n")" addr add "$(addr "$n")/24" dev "fank${n}n"
    fi
    ip link set "fank${n}h" up
    ip -n "$(ns "$n")" link set lo up
    ip -n "$(ns "$n")" link set "fank${n}n" up
  done
}

network_down() {
  local n
  for n in "${NODES[@]}"; do
    ip link del "fank${n}h" 2>/dev/null || true
    ip netns del "$(ns "$n")" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}

running() { [[ -f "$(pidfile "$1")" ]] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }
answers() { port_open "$(addr "$1")" 9092; }

configure() {
  local n=$1 dir="$CDIR/node-$1" voters=() m
  for m in "${NODES[@]}"; do voters+=("$m@$(addr "$m"):9093"); done
  mkdir -p "$dir/data" "$dir/logs"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(IFS=,; echo "${voters[*]}")
listeners=PLAINTEXT://$(addr "$n"):9092,CONTROLLER://$(addr "$n"):9093
advertised.listeners=PLAINTEXT://$(addr "$n"):9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=12
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
auto.create.topics.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
group.initial.rebalance.delay.ms=0
# A broker cut off is fenced after 6 s and leaves the ISR after 10 s (defaults 9 s / 30 s), so that
# the scenarios show a failover within a test's patience; both are production-sane values.
broker.session.timeout.ms=6000
replica.lag.time.max.ms=10000
log.retention.hours=168
PROPS
  write_kafka_logging "$dir"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    java -cp "$KAFKA_HOME/libs/*" "$(kafka_log_opt "$dir")" kafka.tools.StorageTool format -t "$(cat "$CDIR/cluster-id")" -c "$dir/server.properties" --ignore-formatted >/dev/null
  fi
}

start_node() {
  local n=$1 dir="$CDIR/node-$1"
  running "$n" && return 0
  configure "$n"
  log "starting Kafka broker $n at $(addr "$n"):9092 (namespace $(ns "$n"))"
  # shellcheck disable=SC2086
  nohup ip netns exec "$(ns "$n")" java ${KAFKA_CLUSTER_HEAP:--Xms128m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true \
    "$(kafka_log_opt "$dir")" -Dkafka.logs.dir="$dir/logs" \
    -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$dir/server.properties" >"$dir/logs/stdout.log" 2>&1 &
  echo $! >"$(pidfile "$n")"
}

stop_node() { stop_pid "Kafka broker $1" "$(pidfile "$1")" "${2:-TERM}"; }

cmd=${1:-up}
case "$cmd" in
  up)
    need_root
    [[ -f "$KAFKA_HOME/libs/.complete" ]] || bash "$ROOT/scripts/stack/install.sh" kafka
    mkdir -p "$CDIR" "$RUN_DIR"
    [[ -f "$CDIR/cluster-id" ]] || java -cp "$KAFKA_HOME/libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 >"$CDIR/cluster-id"
    network_up
    for n in "${NODES[@]}"; do start_node "$n"; done
    all_answer() {
      local n
      for n in "${NODES[@]}"; do
        if [[ -f "$(pidfile "$n")" ]] && ! running "$n"; then
          log "broker $n exited while starting; last lines:"; tail -n 20 "$CDIR/node-$n/logs/stdout.log" >&2; exit 1
        fi
        answers "$n" || return 1
      done
    }
    wait_for "Kafka cluster" 120 all_answer
    log "cluster ready: KAFKA_BROKERS=$(brokers)"
    ;;
  down)
    for n in "${NODES[@]}"; do stop_node "$n"; done
    [[ $(id -u) -ne 0 ]] || network_down
    ;;
  kill) stop_node "$2" KILL ;;
  start) start_node "$2"; wait_for "broker $2" 90 answers "$2" ;;
  cut) need_root; ip link set "fank${2}h" down; log "broker $2 cut off the network" ;;
  heal) need_root; ip link set "fank${2}h" up; log "broker $2 back on the network" ;;
  brokers) brokers ;;
  leader) # leader TOPIC [PARTITION]: the node id leading it, asked (with Kafka's own admin client)
    # of the brokers that are on the network, with short timeouts
    reachable=()
    for n in "${NODES[@]}"; do ip link show "fank${n}h" 2>/dev/null | grep -q ',UP' && reachable+=("$(addr "$n"):9092"); done
    printf 'request.timeout.ms=3000\nsocket.connection.setup.timeout.ms=1000\nsocket.connection.setup.timeout.max.ms=2000\n' >"$CDIR/admin.properties"
    java -cp "$KAFKA_HOME/libs/*" "$(kafka_log_opt "$CDIR/node-1")" org.apache.kafka.tools.TopicCommand \
      --bootstrap-server "$(IFS=,; echo "${reachable[*]}")" --command-config "$CDIR/admin.properties" --describe --topic "$2" |
      sed -n "s/.*Partition: ${3:-0}[[:space:]]*Leader: \([0-9-]*\).*/\1/p" ;;
  reset) # forget the cluster's data (a fresh cluster id at the next up)
    "$0" down; rm -rf "$CDIR" ;;
  *) echo "usage: cluster.sh up|down|kill N|start N|cut N|heal N|brokers|leader TOPIC [P]|reset" >&2; exit 2 ;;
esac
