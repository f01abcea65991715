#!/usr/bin/env bash
# Creates the hub's Kafka topics before any app starts (the compose file's one-shot `kafka-init`
# service, run in the broker's own image). The list is topicSpecs() of libs/registry:
# test/compose.e2e-spec.ts runs this script and fails when the two differ.
#
# Idempotent: a missing topic is created with its partitions and configs; an existing one keeps its
# partitions (they cannot shrink, and changing them would move keys) and has its configs applied
# again, so a topic created earlier with other settings (by an older release: the broker's 7-day
# default retention) is brought to the settings below.
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP:-kafka:9092}"
BIN="${KAFKA_BIN:-/opt/kafka/bin}"
PARTITIONS="${KAFKA_TOPIC_PARTITIONS:-6}"
REPLICATION="${KAFKA_REPLICATION_FACTOR:-1}"

# The log the projections are built from (and rebuilt from, after a lost or new ClickHouse), and the
# dead letters waiting to be replayed: kept forever, never deleted by time or size.
FOREVER='retention.ms=-1,retention.bytes=-1'
# State topics: the latest record per key is the state (the connections and the API keys have no
# other copy in distributed mode): compacted, never deleted.
COMPACTED='cleanup.policy=compact'

# name, partitions, configs (comma-separated)
TOPICS=(
  "telemetry.dlq.v1 $PARTITIONS $FOREVER"
  "telemetry.api-keys.v1 1 $COMPACTED"
  "telemetry.reports.v1 $PARTITIONS $FOREVER"
  "telemetry.connections.v1 1 $COMPACTED"
  "telemetry.events.v1 $PARTITIONS $FOREVER"
  "telemetry.traces.v1 $PARTITIONS $FOREVER"
  "telemetry.codescan.v1 $PARTITIONS $FOREVER"
)

echo "kafka-init: topics on $BOOTSTRAP"
existing="$("$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --list)"

for entry in "${TOPICS[@]}"; do
  read -r name partitions configs <<<"$entry"
  if grep -Fqx -- "$name" <<<"$existing"; then
    echo "kafka-init: $name exists: applying $configs"
    "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --alter \
      --entity-type topics --entity-name "$name" --add-config "$configs"
  else
    echo "kafka-init: creating $name ($partitions partitions, $configs)"
    args=()
    IFS=',' read -r -a pairs <<<"$configs"
    for pair in "${pairs[@]}"; do args+=(--config "$pair"); done
    "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
      --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION" "${args[@]}"
  fi
done
echo "kafka-init: done"
