package io.groot.streams.common;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this instance's topologies did, for progress and status output. Processing is exactly-once on Kafka;
 * these in-memory counts are not (a retried transaction counts twice), so accounting reads the topics.
 */
public final class LoopCounters {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public void increment(String name) {
        counts.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    public long get(String name) {
        AtomicLong count = counts.get(name);
        return count == null ? 0 : count.get();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((name, count) -> out.put(name, count.get()));
        return out;
    }
}
