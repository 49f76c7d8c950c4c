#!/usr/bin/env bash
# Installs what the local stack needs and is missing: Kafka and Apicurio Registry from Maven Central.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if [[ -f "$STACK_DIR/kafka/libs/.complete" && -f "$STACK_DIR/apicurio/quarkus-run.jar" ]]; then
  exit 0
fi
command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch Kafka and Apicurio from Maven Central"; exit 1; }
command -v java >/dev/null || { log "Java 17+ is required to run Kafka and Apicurio"; exit 1; }
log "fetching Kafka and Apicurio Registry from Maven Central into $STACK_DIR (first run only)"
# The dependency plugin skips an unpack it has a marker for; the files themselves are what count.
rm -rf "$ROOT/deploy/local/target"
mvn -q -B -f "$ROOT/deploy/local/pom.xml" package -Dstack.dir="$STACK_DIR"
if [[ ! -f "$STACK_DIR/apicurio/quarkus-run.jar" ]]; then
  log "Apicurio was not unpacked into $STACK_DIR/apicurio (io.apicurio:apicurio-registry-app:3.3.3:tar.gz:all)"; exit 1
fi
touch "$STACK_DIR/kafka/libs/.complete"
log "installed"
