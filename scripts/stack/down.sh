#!/usr/bin/env bash
# Stops only what up.sh started (recorded in $RUN_DIR); leaves everything else running.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_pid() {
  local name=$1 file=$2
  [[ -f "$file" ]] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$file"
}
stop_pid "schema registry" "$RUN_DIR/registry.pid"
stop_pid Kafka "$RUN_DIR/kafka.pid"
if [[ -f "$RUN_DIR/redis.pid" ]]; then stop_pid Redis "$RUN_DIR/redis.pid"; fi
if [[ -f "$RUN_DIR/postgres.started" ]]; then
  log "stopping PostgreSQL (started by up.sh)"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main stop || true
  rm -f "$RUN_DIR/postgres.started"
fi
