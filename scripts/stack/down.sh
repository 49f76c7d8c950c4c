#!/usr/bin/env bash
# Stops only what up.sh started (recorded in $RUN_DIR); leaves everything else running.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# With STARTED_LIST set, only the components named in that file (written by up.sh) are stopped.
wanted() { [[ -z "${STARTED_LIST:-}" ]] || grep -qx "$1" "$STARTED_LIST" 2>/dev/null; }
wanted registry && stop_pid "schema registry" "$RUN_DIR/registry.pid"
wanted kafka && stop_pid Kafka "$RUN_DIR/kafka.pid"
if wanted kafka-cluster && ls "$RUN_DIR"/kafka-cluster-*.pid >/dev/null 2>&1; then bash "$ROOT/scripts/stack/cluster.sh" down; fi
wanted redis && stop_pid Redis "$RUN_DIR/redis.pid"
if wanted postgres && [[ -f "$RUN_DIR/postgres.started" ]]; then
  log "stopping PostgreSQL (started by up.sh)"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main stop || true
  rm -f "$RUN_DIR/postgres.started"
fi
