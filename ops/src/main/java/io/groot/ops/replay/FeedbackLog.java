package io.groot.ops.replay;

import io.groot.connectors.FeedbackJson;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.join.FeedbackPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Logged feedback with the tokens of its text, de-duplicated by event id and put in a canonical order (event time,
 * request id, event id) so that the same log always replays the same way, however its partitions interleave.
 *
 * @param withoutText feedback whose text is not in the log (skipped)
 * @param duplicates  redelivered feedback (skipped)
 */
public record FeedbackLog(List<Entry> entries, int withoutText, int duplicates) {

    /** One feedback event and the tokens it refers to. */
    public record Entry(List<String> tokens, RewardEvent feedback) {
    }

    /**
     * The log as the loop trains on it under {@code policy}: one entry per request, where the first of its events
     * stood; the events the policy drops are added to {@code duplicates}. (The loop applies the policy per
     * candidate set, which is per request unless a text was sent twice.)
     */
    public FeedbackLog under(FeedbackPolicy policy) {
        Map<String, Integer> position = new HashMap<>();
        List<Entry> kept = new ArrayList<>(entries.size());
        List<Integer> events = new ArrayList<>(entries.size());
        int dropped = 0;
        for (Entry entry : entries) {
            Integer at = position.putIfAbsent(entry.feedback().getRequestId(), kept.size());
            if (at == null) {
                kept.add(entry);
                events.add(1);
                continue;
            }
            FeedbackPolicy.Combined combined = policy.combine(kept.get(at).feedback(), events.get(at),
                    entry.feedback());
            kept.set(at, new Entry(kept.get(at).tokens(), combined.event()));
            events.set(at, combined.events());
            dropped += combined.dropped();
        }
        return new FeedbackLog(List.copyOf(kept), withoutText, duplicates + dropped);
    }

    /** From the texts and rewards topics, records with timestamps in [fromMs, toMs]. */
    public static FeedbackLog fromTopics(Properties client, Topics topics, GrootSerdes serdes, long fromMs,
                                         long toMs) {
        Map<String, List<String>> tokens = new HashMap<>();
        List<RewardEvent> feedback = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readCommittedRecords(client,
                List.of(topics.texts(), topics.rewards()), new StringDeserializer(), new ByteArrayDeserializer())) {
            if (record.timestamp() < fromMs || record.timestamp() > toMs || record.key() == null) {
                continue;
            }
            try {
                if (record.topic().equals(topics.texts())) {
                    tokens.put(record.key(), serdes.texts().deserialize(record.topic(), record.value()).getTokens());
                } else {
                    feedback.add(serdes.rewards().deserialize(record.topic(), record.value()));
                }
            } catch (RuntimeException unreadable) {
                // dead-lettered by the loop itself; not part of what it learnt from
            }
        }
        return join(tokens, feedback);
    }

    /**
     * From an archive written by the archive sink ({@code dir/<topic>/partition-<n>.jsonl}), records whose Kafka
     * timestamps were in [fromMs, toMs].
     */
    public static FeedbackLog fromArchive(Path dir, Topics topics, long fromMs, long toMs) throws IOException {
        Map<String, List<String>> tokens = new HashMap<>();
        for (String line : lines(dir.resolve(topics.texts()), fromMs, toMs)) {
            TextEvent text = FeedbackJson.text(line, 0);
            tokens.put(text.getRequestId(), text.getTokens());
        }
        List<RewardEvent> feedback = new ArrayList<>();
        for (String line : lines(dir.resolve(topics.rewards()), fromMs, toMs)) {
            feedback.add(FeedbackJson.reward(line, "", 0));
        }
        return join(tokens, feedback);
    }

    private static List<String> lines(Path topicDir, long fromMs, long toMs) throws IOException {
        if (!Files.isDirectory(topicDir)) {
            throw new IOException("no archive of this topic at " + topicDir);
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(topicDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    long time = line.isBlank() ? -1 : FeedbackJson.coordinate(line, "timestamp");
                    if (time >= fromMs && time <= toMs) {
                        lines.add(line);
                    }
                }
            }
        }
        return lines;
    }

    private static FeedbackLog join(Map<String, List<String>> tokens, List<RewardEvent> feedback) {
        feedback.sort(Comparator.comparing(RewardEvent::getEventTime).thenComparing(RewardEvent::getRequestId)
                .thenComparing(RewardEvent::getEventId));
        Set<String> seen = new HashSet<>();
        List<Entry> entries = new ArrayList<>();
        int withoutText = 0;
        int duplicates = 0;
        for (RewardEvent event : feedback) {
            if (!seen.add(event.getRequestId() + "/" + event.getEventId())) {
                duplicates++;
            } else if (!tokens.containsKey(event.getRequestId())) {
                withoutText++;
            } else {
                entries.add(new Entry(tokens.get(event.getRequestId()), event));
            }
        }
        return new FeedbackLog(List.copyOf(entries), withoutText, duplicates);
    }
}
