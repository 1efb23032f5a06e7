#!/usr/bin/env bash
# The loop's topics with Kafka's own CLI (what `groot topics` does, for clusters managed by scripts or GitOps).
# Texts, candidates and rewards MUST share one partition count: feedback is joined to candidates by request id.
# Usage: BOOTSTRAP=kafka:9092 PARTITIONS=12 REPLICATION=3 PREFIX=groot. ops/kafka/topics.sh [--command-config client.properties]
set -euo pipefail
: "${BOOTSTRAP:=localhost:9092}" "${PARTITIONS:=12}" "${REPLICATION:=3}" "${PREFIX:=groot.}"
topic() {
  kafka-topics.sh --bootstrap-server "$BOOTSTRAP" "$@" --create --if-not-exists --replication-factor "$REPLICATION" \
    --config min.insync.replicas=$(( REPLICATION > 1 ? 2 : 1 ))
}
for name in texts candidates rewards training-batches dead-letters; do
  topic "${@}" --topic "${PREFIX}${name}" --partitions "$PARTITIONS"
done
# Feedback and dead letters are the audit trail: keep them as long as replays may need them.
kafka-configs.sh --bootstrap-server "$BOOTSTRAP" "$@" --alter --entity-type topics --entity-name "${PREFIX}rewards" \
  --add-config retention.ms=2592000000
# One record per model name survives compaction: the newest says which version serves.
topic "${@}" --topic "${PREFIX}model-versions" --partitions 1 --config cleanup.policy=compact
