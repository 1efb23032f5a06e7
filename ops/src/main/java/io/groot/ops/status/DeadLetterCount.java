package io.groot.ops.status;

import io.groot.schemas.DeadLetterHeaders;
import io.groot.schemas.TopicReader;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The committed records of the dead-letter topic by the reason in their headers, from every writer (the streams
 * application, the trainer, the connectors). Reads headers, never decodes a value.
 *
 * @param complete false if reading stopped at its time budget: a flooded topic must not hang {@code groot status}
 */
public record DeadLetterCount(Map<String, Long> byReason, long records, boolean complete) {
    static final String NO_REASON = "(no reason header)";

    public static DeadLetterCount read(Properties client, String topic, Duration timeout, Duration budget) {
        Map<String, Long> counts = new TreeMap<>();
        boolean complete = TopicReader.forEachCommitted(client, List.of(topic), new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), timeout, budget, record -> {
                    Header reason = record.headers().lastHeader(DeadLetterHeaders.REASON);
                    counts.merge(reason == null ? NO_REASON : new String(reason.value(), StandardCharsets.UTF_8),
                            1L, Long::sum);
                });
        return new DeadLetterCount(counts, counts.values().stream().mapToLong(Long::longValue).sum(), complete);
    }

    public String render() {
        return byReason + (complete ? " (every writer's, by reason)"
                : " (every writer's, by reason: the first " + records + " only, the rest not read in time)");
    }
}
