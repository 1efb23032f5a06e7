#!/usr/bin/python3
"""Bad input from outside the JVM: one row per kind of input a Python user can send to the loop's topics with
confluent-kafka (librdkafka, its default partitioner) and the Confluent wire format, each with what must become of
it, and what did, read back from the topics (dead letters by key or original bytes, candidates, training batches).
Used by PythonBadInputTest; its table is docs/BAD-INPUT.md.

  bad_input.py --bootstrap B --registry URL --prefix P --timeout S

Prints one line of JSON on stdout: {"rows": [{"kind", "topic", "expected", "observed"}, ...], ...}.
"""
import argparse
import datetime
import json
import os
import sys
import time

import avro.schema
from confluent_kafka import Consumer, Producer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loop_client import decode, encode, lookup, registry_get  # noqa: E402

TOKENS = ["fly", "to", "new", "york", "from", "boston"]
LABELS = ["O", "O", "B-city", "I-city", "O", "B-city"]
MAX_TOKENS = 16  # the test's --max-tokens


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class Rows:
    """The table: each row sends its records in phase 1 (texts) or 2 (rewards) and names what must become of it."""

    def __init__(self, run, schemas):
        self.run = run
        self.schemas = schemas
        self.rows = []

    def id(self, n):
        return "bad-%s-%02d" % (self.run, n)

    def text(self, request_id, tokens=None, text=None, **fields):
        tokens = TOKENS if tokens is None else tokens
        value = {"requestId": request_id, "text": " ".join(tokens) if text is None else text, "tokens": tokens,
                 "metadata": {}, "eventTime": now()}
        value.update(fields)
        schema, schema_id = self.schemas["texts"]
        return encode(schema, schema_id, value)

    def reward(self, request_id, event_id=None, labels=None, scalars=None, no_labels=False):
        value = {"requestId": request_id, "eventId": event_id or "ev-" + request_id, "source": "python",
                 "eventTime": now(), "referenceLabels": None if no_labels or scalars is not None and labels is None
                 else (LABELS if labels is None else labels),
                 "scalarRewards": None if scalars is None else [{"rank": r, "reward": x} for r, x in scalars]}
        schema, schema_id = self.schemas["rewards"]
        return encode(schema, schema_id, value)

    def add(self, kind, expected, sends, key=None):
        """sends: (phase, topic, key, value) records; key: the request id the outcome is found under."""
        topics = [topic for _, topic, _, _ in sends]
        self.rows.append({"kind": kind, "expected": expected, "sends": sends, "key": key,
                          "topic": next((t for t in topics if t.endswith("rewards")), topics[0])})


def build(rows, prefix):
    T, R = prefix + "texts", prefix + "rewards"
    n = iter(range(1, 1000))

    def bad_text(kind, expected, value, key=None):
        k = rows.id(next(n))
        rows.add(kind, expected, [(1, T, k if key is None else key, value(k) if callable(value) else value)],
                 key=k if key is None else key)

    def bad_reward(kind, expected, value, with_text=True, key=None):
        k = rows.id(next(n))
        sends = [(1, T, k, rows.text(k))] if with_text else []
        sends.append((2, R, k if key is None else key, value(k)))
        rows.add(kind, expected, sends, key=k if key is None else key)

    garbage = bytes(range(256))[::-7] * 3
    unknown_schema = b"\x00\x7f\x7f\x7f\x7f\x02x"
    # texts
    bad_text("random bytes", "dead letter malformed-record", garbage)
    bad_text("unknown schema id", "dead letter unknown-schema", unknown_schema)
    bad_text("another topic's schema (a reward)", "dead letter wrong-schema", lambda k: rows.reward(k))
    bad_text("JSON", "dead letter malformed-record", lambda k: json.dumps({"requestId": k, "tokens": TOKENS}).encode())
    bad_text("empty value (0 bytes)", "dead letter malformed-record", b"")
    bad_text("wire-format header alone", "dead letter malformed-record",
             lambda k: rows.text(k)[:5])
    bad_text("a text with trailing bytes", "dead letter malformed-record", lambda k: rows.text(k) + b"\x00\x00")
    bad_text("null value (tombstone)", "dead letter tombstone", None)
    bad_text("empty key", "dead letter missing-key", lambda k: rows.text(""), key="")
    bad_text("key disagrees with requestId", "dead letter key-mismatch", lambda k: rows.text("someone-else"))
    bad_text("no tokens", "dead letter empty-text", lambda k: rows.text(k, tokens=[], text=""))
    bad_text("tokens: [\"\"]", "dead letter empty-token", lambda k: rows.text(k, tokens=[""]))
    bad_text("a blank token", "dead letter empty-token", lambda k: rows.text(k, tokens=["fly", " \t"]))
    bad_text("more tokens than --max-tokens", "dead letter oversized-text",
             lambda k: rows.text(k, tokens=["fly"] * (MAX_TOKENS + 1)))
    bad_text("one 400 KB token", "dead letter oversized-token", lambda k: rows.text(k, tokens=["x" * 400_000]))
    bad_text("a 600 KB text field with 6 tokens", "dead letter oversized-text",
             lambda k: rows.text(k, text="y" * 600_000))
    for kind, tokens in [("emoji", ["fly", "\u2708\ufe0f", "to", "boston", "\U0001F600"]),
                         ("right-to-left script", ["\u05d8\u05d9\u05e1\u05d4", "\u0625\u0644\u0649",
                                                   "\u0628\u0648\u0633\u0637\u0646"]),
                         ("zero-width token", ["fly", "\u200b", "boston"]),
                         ("NUL inside a token", ["fly", "bos\u0000ton"])]:
        bad_text(kind, "candidates", lambda k, t=tokens: rows.text(k, tokens=t))
    # a text that must not be written at all: over the broker's max.message.bytes
    k = rows.id(next(n))
    rows.add("record over the broker's 1 MB limit", "refused to the producer: MSG_SIZE_TOO_LARGE",
             [(1, T, k, rows.text(k, text="z" * 1_200_000))], key=k)
    # keyless rows are found by the bytes sent
    k = rows.id(next(n))
    rows.add("null key (text)", "dead letter missing-key", [(1, T, None, rows.text(k))], key=None)

    # rewards
    bad_reward("random bytes", "dead letter malformed-record", lambda k: garbage)
    bad_reward("unknown schema id", "dead letter unknown-schema", lambda k: unknown_schema)
    bad_reward("another topic's schema (a text)", "dead letter wrong-schema", lambda k: rows.text(k))
    bad_reward("JSON", "dead letter malformed-record",
               lambda k: json.dumps({"requestId": k, "referenceLabels": LABELS}).encode())
    bad_reward("null value (tombstone)", "dead letter tombstone", lambda k: None)
    bad_reward("key disagrees with requestId", "dead letter key-mismatch", lambda k: rows.reward("someone-else"))
    bad_reward("empty key", "dead letter missing-key", lambda k: rows.reward(""), with_text=False, key="")
    bad_reward("labels of another length", "dead letter label-count-mismatch",
               lambda k: rows.reward(k, labels=["O", "O"]))
    bad_reward("an unknown label", "dead letter unknown-label",
               lambda k: rows.reward(k, labels=["O", "O", "B-planet", "I-city", "O", "B-city"]))
    for kind, x in [("NaN", float("nan")), ("negative", -0.5), ("huge", 1e300), ("infinite", float("inf"))]:
        bad_reward(kind + " scalar reward", "dead letter invalid-reward", lambda k, x=x: rows.reward(k, scalars=[(1, x)]))
    bad_reward("a rank no candidate has", "dead letter unknown-candidate",
               lambda k: rows.reward(k, scalars=[(99, 0.5)]))
    bad_reward("labels and scalars both", "dead letter ambiguous-feedback",
               lambda k: rows.reward(k, labels=LABELS, scalars=[(1, 0.5)]))
    bad_reward("neither labels nor scalars", "dead letter empty-feedback", lambda k: rows.reward(k, no_labels=True))
    bad_reward("a request no text ever had", "dead letter unknown-request", lambda k: rows.reward(k),
               with_text=False)
    # rewards that must train, once
    k = rows.id(next(n))
    rows.add("the same event twice (duplicate)", "joined once",
             [(1, T, k, rows.text(k)), (2, R, k, rows.reward(k)), (2, R, k, rows.reward(k))], key=k)
    k = rows.id(next(n))
    rows.add("a second opinion (another event id)", "joined once",
             [(1, T, k, rows.text(k)), (2, R, k, rows.reward(k, "first")), (2, R, k, rows.reward(k, "second"))],
             key=k)
    k = rows.id(next(n))
    rows.add("the reward before its text", "joined once", [(1, R, k, rows.reward(k)), (2, T, k, rows.text(k))],
             key=k)
    k = rows.id(next(n))
    rows.add("a text with emoji, then its reward", "joined once",
             [(1, T, k, rows.text(k, tokens=["fly", "\U0001F600", "to", "new", "york", "boston"])),
              (2, R, k, rows.reward(k, labels=["O", "O", "O", "B-city", "I-city", "B-city"]))], key=k)
    k = rows.id(next(n))
    rows.add("null key (reward)", "dead letter missing-key", [(1, T, k, rows.text(k)), (2, R, None, rows.reward(k))],
             key=None)


def produce(rows, bootstrap):
    # A limit above the broker's, so that the broker (not librdkafka) judges the oversized record.
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "message.max.bytes": 4_000_000,
                         "linger.ms": 5})
    errors = {}

    def delivered(row):
        def callback(err, msg):
            if err is not None:
                errors[id(row)] = err.name()
        return callback

    for phase in (1, 2):
        for row in rows.rows:
            for p, topic, key, value in row["sends"]:
                if p == phase:
                    producer.produce(topic, key=None if key is None else key.encode(), value=value,
                                     on_delivery=delivered(row))
        producer.flush(30)
        time.sleep(2)
    for row in rows.rows:
        if id(row) in errors:
            row["produceError"] = errors[id(row)]


def observe(rows, args):
    topics = {args.prefix + t: t for t in ("candidates", "training-batches", "dead-letters")}
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "bad-input-%d" % time.time(),
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "isolation.level": "read_committed", "fetch.max.bytes": 8_000_000,
                         "max.partition.fetch.bytes": 8_000_000})
    consumer.subscribe(list(topics))
    schemas = {}
    seen = {"candidates": {}, "training-batches": {}, "dead-letters": {}}
    keyless_letters = []
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            if all(outcome(row, seen, keyless_letters) == row["expected"] for row in rows.rows):
                break
            continue
        if msg.error():
            raise SystemExit("consume failed: %s" % msg.error())
        _, record = decode(args.registry, schemas, msg.value(), msg.topic())
        kind = topics[msg.topic()]
        key = None if msg.key() is None else msg.key().decode()
        if kind == "training-batches":
            for contrast in record["contrastSets"]:
                seen[kind].setdefault(contrast["requestId"], []).append(contrast)
        elif kind == "dead-letters" and not key:
            keyless_letters.append(record)
        else:
            seen[kind].setdefault(key, []).append(record)
    consumer.close()
    for row in rows.rows:
        row["observed"] = outcome(row, seen, keyless_letters)
    return seen


def outcome(row, seen, keyless_letters):
    if "produceError" in row:
        return "refused to the producer: " + row["produceError"]
    if not row["key"]:  # null and empty keys: found by the bytes sent
        sent = row["sends"][-1][3]
        letters = [l for l in keyless_letters if l["originalValue"] == sent]
    else:
        letters = seen["dead-letters"].get(row["key"], [])
    if letters:
        return "dead letter " + ",".join(sorted({l["reason"] for l in letters}))
    joined = len(seen["training-batches"].get(row["key"], []))
    if joined:
        return "joined once" if joined == 1 else "joined %d times" % joined
    if seen["candidates"].get(row["key"]):
        return "candidates"
    return "nothing seen"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()
    schemas = {}
    for topic in ("texts", "rewards"):
        latest = registry_get(args.registry, "/subjects/" + args.prefix + topic + "-value/versions/latest")
        schemas[topic] = (avro.schema.parse(latest["schema"]), lookup(args.registry, latest["subject"],
                                                                        latest["schema"]))
    rows = Rows(str(int(time.time() * 1000)), schemas)
    build(rows, args.prefix)
    produce(rows, args.bootstrap)
    observe(rows, args)
    sent = {"texts": 0, "rewards": 0}
    for row in rows.rows:
        if "produceError" not in row:
            for _, topic, _, _ in row["sends"]:
                sent[topic[len(args.prefix):]] += 1
    print(json.dumps({"rows": [{k: row[k] for k in ("kind", "topic", "expected", "observed")}
                               for row in rows.rows], "sent": sent}))


if __name__ == "__main__":
    sys.exit(main())
