#!/usr/bin/env bash
# Least-privilege ACLs for the loop's principals (SASL users): who reads and writes what.
#   groot-streams : the streams application (application id groot-streams-<model>, transactional, EOS v2)
#   groot-trainer : the streaming trainer (group groot-trainer-<model>, transactional id groot-trainer-<model>),
#                   and groot rollback, which publishes under the trainer's transactional id to fence it
#   groot-connect : Connect workers running the groot connectors
#   groot-ops     : groot status / replay / report (read only)
# Usage: BOOTSTRAP=kafka:9093 MODEL=slots PREFIX=groot. ops/kafka/acls.sh --command-config admin.properties
set -euo pipefail
: "${BOOTSTRAP:=localhost:9092}" "${MODEL:=slots}" "${PREFIX:=groot.}"
acl() { kafka-acls.sh --bootstrap-server "$BOOTSTRAP" "$@"; }
app="groot-streams-${MODEL}"
# Streams: its inputs, outputs, its internal topics and group, its transactions (prefix = application id).
acl "${@:1}" --add --allow-principal User:groot-streams --operation Read \
  --topic "${PREFIX}texts" --topic "${PREFIX}candidates" --topic "${PREFIX}rewards" --topic "${PREFIX}model-versions"
acl "${@:1}" --add --allow-principal User:groot-streams --operation Write \
  --topic "${PREFIX}candidates" --topic "${PREFIX}training-batches" --topic "${PREFIX}dead-letters"
acl "${@:1}" --add --allow-principal User:groot-streams --operation All --resource-pattern-type prefixed \
  --topic "$app" --group "$app" --transactional-id "$app"
acl "${@:1}" --add --allow-principal User:groot-streams --operation Describe --topic "${PREFIX}candidates" \
  --topic "${PREFIX}rewards"
# Trainer: batches in, versions out, one transaction for both.
acl "${@:1}" --add --allow-principal User:groot-trainer --operation Read --topic "${PREFIX}training-batches" \
  --topic "${PREFIX}model-versions" --group "groot-trainer-${MODEL}"
# Versions, and the dead letters of training batches it cannot read, written with the offsets past them.
acl "${@:1}" --add --allow-principal User:groot-trainer --operation Write --topic "${PREFIX}model-versions" \
  --topic "${PREFIX}dead-letters"
acl "${@:1}" --add --allow-principal User:groot-trainer --operation All --resource-pattern-type prefixed \
  --transactional-id "groot-trainer-${MODEL}" --transactional-id "groot-initial-${MODEL}"
# Connect: the sources write texts, rewards and dead letters; the archive sink reads texts and rewards.
acl "${@:1}" --add --allow-principal User:groot-connect --operation Write --topic "${PREFIX}texts" \
  --topic "${PREFIX}rewards" --topic "${PREFIX}dead-letters"
acl "${@:1}" --add --allow-principal User:groot-connect --operation Read --topic "${PREFIX}texts" \
  --topic "${PREFIX}rewards" --group groot-connect --resource-pattern-type literal
# Operators' tools read everything of the loop, including the accounting changelogs.
acl "${@:1}" --add --allow-principal User:groot-ops --operation Read --operation Describe \
  --resource-pattern-type prefixed --topic "${PREFIX}" --topic "$app" --group "$app"
