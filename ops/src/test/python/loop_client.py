#!/usr/bin/python3
"""A non-JVM client of the loop's topics, as a Python user writes one: confluent-kafka (librdkafka) with its
default partitioner, Avro from the Apache avro package, the Confluent wire format (magic byte 0, 4-byte schema id,
Avro binary) with schemas looked up in the registry over its REST API. Used by PythonClientTest.

  loop_client.py produce --bootstrap B --registry URL --prefix P --count N
  loop_client.py consume --bootstrap B --registry URL --prefix P --candidates N --contrast-sets N --timeout S

Each prints one line of JSON on stdout.
"""
import argparse
import datetime
import io
import json
import struct
import sys
import time
import urllib.request

import avro.io
import avro.schema
import confluent_kafka
from confluent_kafka import Consumer, Producer

TOKENS = ["fly", "to", "new", "york", "from", "boston"]
LABELS = ["O", "O", "B-city", "I-city", "O", "B-city"]


def registry_get(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as response:
        return json.loads(response.read())


def lookup(url, subject, schema_json):
    """The id of a schema the topics command registered: what a serializer with auto.register.schemas=false does."""
    request = urllib.request.Request(url + "/subjects/" + subject, method="POST",
                                     data=json.dumps({"schema": schema_json}).encode(),
                                     headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["id"]


def encode(schema, schema_id, datum):
    out = io.BytesIO()
    out.write(struct.pack(">bI", 0, schema_id))
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
    return out.getvalue()


def decode(registry, schemas, value, topic):
    """A record in the Confluent wire format, by the schema its id names (looked up once, kept in schemas)."""
    magic, schema_id = struct.unpack(">bI", value[:5])
    if magic != 0:
        raise SystemExit("not the Confluent wire format: magic %d in %s" % (magic, topic))
    if schema_id not in schemas:
        schemas[schema_id] = avro.schema.parse(registry_get(registry, "/schemas/ids/%d" % schema_id)["schema"])
    return schema_id, avro.io.DatumReader(schemas[schema_id]).read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


def murmur2_partition(key, partitions):
    """Java's default partitioner (Utils.murmur2, toPositive), to count the records librdkafka puts elsewhere."""
    data = key.encode()
    length = len(data)
    m, r = 0x5bd1e995, 24
    h = (0x9747b28c ^ length) & 0xffffffff
    for i in range(0, length - length % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * m) & 0xffffffff
        k ^= k >> r
        k = (k * m) & 0xffffffff
        h = (h * m) & 0xffffffff
        h ^= k
    rest = length % 4
    tail = length - rest
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * m) & 0xffffffff
    h ^= h >> 13
    h = (h * m) & 0xffffffff
    h ^= h >> 15
    return (h & 0x7fffffff) % partitions


def produce(args):
    subjects = {}
    for topic in ("texts", "rewards"):
        latest = registry_get(args.registry, "/subjects/" + args.prefix + topic + "-value/versions/latest")
        subjects[topic] = (avro.schema.parse(latest["schema"]), lookup(args.registry, latest["subject"],
                                                                         latest["schema"]))
    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
    partitions = len(producer.list_topics(args.prefix + "rewards", timeout=10).topics[args.prefix + "rewards"]
                     .partitions)
    landed = {}
    elsewhere = 0

    def delivered(err, msg):
        if err is not None:
            raise SystemExit("delivery failed: %s" % err)
        if msg.topic() == args.prefix + "rewards":
            landed[msg.key().decode()] = msg.partition()

    now = datetime.datetime.now(datetime.timezone.utc)
    run = str(int(time.time() * 1000))
    ids = ["py-%s-%d" % (run, i) for i in range(args.count)]
    schema, schema_id = subjects["texts"]
    for request_id in ids:
        text = {"requestId": request_id, "text": " ".join(TOKENS), "tokens": TOKENS, "metadata": {},
                "eventTime": now}
        producer.produce(args.prefix + "texts", key=request_id, value=encode(schema, schema_id, text))
    producer.flush(30)
    time.sleep(args.reward_delay)
    schema, schema_id = subjects["rewards"]
    for request_id in ids:
        reward = {"requestId": request_id, "eventId": "ev-" + request_id, "source": "python",
                  "eventTime": datetime.datetime.now(datetime.timezone.utc), "referenceLabels": LABELS,
                  "scalarRewards": None}
        producer.produce(args.prefix + "rewards", key=request_id, value=encode(schema, schema_id, reward),
                         on_delivery=delivered)
    producer.flush(30)
    for request_id, partition in landed.items():
        if partition != murmur2_partition(request_id, partitions):
            elsewhere += 1
    print(json.dumps({"texts": len(ids), "rewards": len(landed), "partitions": partitions,
                      "rewardsNotInJavasPartition": elsewhere, "librdkafka": confluent_kafka.libversion()[0]}))


def consume(args):
    topics = [args.prefix + t for t in ("candidates", "training-batches", "model-versions", "dead-letters")]
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "python-reader-%d" % time.time(),
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "isolation.level": "read_committed"})
    consumer.subscribe(topics)
    schemas = {}
    counts = {t: 0 for t in topics}
    contrast_sets = 0
    schema_ids = {}
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            if counts[topics[0]] >= args.candidates and contrast_sets >= args.contrast_sets:
                break
            continue
        if msg.error():
            raise SystemExit("consume failed: %s" % msg.error())
        schema_id, record = decode(args.registry, schemas, msg.value(), msg.topic())
        counts[msg.topic()] += 1
        schema_ids.setdefault(msg.topic(), schema_id)
        if msg.topic() == args.prefix + "training-batches":
            contrast_sets += len(record["contrastSets"])
        if msg.topic() == args.prefix + "candidates" and not record["candidates"]:
            raise SystemExit("a candidate set without candidates: %s" % record)
    consumer.close()
    print(json.dumps({"records": counts, "contrastSets": contrast_sets, "schemaIds": schema_ids}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--reward-delay", type=float, default=2.0)
    parser.add_argument("--candidates", type=int, default=0)
    parser.add_argument("--contrast-sets", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()
    produce(args) if args.mode == "produce" else consume(args)


if __name__ == "__main__":
    sys.exit(main())
