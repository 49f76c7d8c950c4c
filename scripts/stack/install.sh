#!/usr/bin/env bash
# Installs what the local stack needs and is missing: Kafka ($KAFKA_VERSION) and Apicurio Registry
# from Maven Central. Each is fetched only when missing, so that installing a second Kafka version
# never rewrites the jars of a registry that is running. `install.sh kafka` or `install.sh registry`
# looks at that one only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

need_kafka=; need_registry=
what=${1:-all}
[[ "$what" == registry || -f "$KAFKA_HOME/libs/.complete" ]] || need_kafka=1
[[ "$what" == kafka || -f "$STACK_DIR/apicurio/quarkus-run.jar" ]] || need_registry=1
[[ -n "$need_kafka$need_registry" ]] || exit 0
command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch Kafka and Apicurio from Maven Central"; exit 1; }
command -v java >/dev/null || { log "Java 17+ is required to run Kafka and Apicurio"; exit 1; }
mvn_stack() {
  # A download reset half-way (seen once on a fresh checkout) is the network's, not the build's:
  # tried three times before the install gives up.
  local attempt
  for attempt in 1 2 3; do
    mvn -q -B -f "$ROOT/deploy/local/pom.xml" "$@" -Dstack.dir="$STACK_DIR" -Dkafka.version="$KAFKA_VERSION" \
      -Dkafka.home="$KAFKA_HOME" -Dkafka.major="$KAFKA_MAJOR" && return 0
    [[ $attempt == 3 ]] || { log "Maven Central download failed (attempt $attempt of 3); trying again in $((attempt * 5)) s"; sleep $((attempt * 5)); }
  done
  return 1
}
if [[ -n "$need_kafka" ]]; then
  log "fetching Kafka $KAFKA_VERSION from Maven Central into $KAFKA_HOME (first run of this version only)"
  mvn_stack dependency:copy-dependencies@kafka-libs
  touch "$KAFKA_HOME/libs/.complete"
fi
if [[ -n "$need_registry" ]]; then
  log "fetching Apicurio Registry from Maven Central into $STACK_DIR/apicurio (first run only)"
  # The dependency plugin skips an unpack it has a marker for; the files themselves are what count.
  rm -rf "$ROOT/deploy/local/target"
  mvn_stack dependency:unpack@apicurio
  if [[ ! -f "$STACK_DIR/apicurio/quarkus-run.jar" ]]; then
    log "Apicurio was not unpacked into $STACK_DIR/apicurio (io.apicurio:apicurio-registry-app:tar.gz:all)"; exit 1
  fi
fi
log "installed"
