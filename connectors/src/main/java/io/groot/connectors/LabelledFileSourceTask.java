package io.groot.connectors;

import io.groot.schemas.DeadLetter;
import io.groot.schemas.DeadLetterHeaders;
import io.groot.schemas.DeadLetterRecords;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.TopicOffset;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryUnavailableException;
import io.groot.schemas.serde.AvroSerde;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads its paths one after the other, resuming each at the line count stored as its source offset. At the end of
 * the last path it waits for more lines (a file being appended to is followed).
 */
public final class LabelledFileSourceTask extends SourceTask {
    private static final String PATH = "path";
    private static final String LINES = "lines";
    private static final long IDLE_WAIT_MS = 500;
    private static final long REGISTRY_RETRY_MS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(LabelledFileSourceTask.class);

    private FileSourceConfig config;
    private final List<LabelledInput> inputs = new ArrayList<>();
    private final List<Map<String, String>> partitions = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private int current;
    private AvroSerde<TextEvent> texts;
    private AvroSerde<RewardEvent> rewards;
    private AvroSerde<DeadLetter> deadLetters;
    private long nextRecordNanos;
    /** A line read from the current file that could not become a record yet (the registry was unavailable). */
    private FileEntry held;

    @Override
    public void start(Map<String, String> props) {
        config = new FileSourceConfig(props);
        RestSchemaRegistry registry = new RestSchemaRegistry(config.getString(FileSourceConfig.SCHEMA_REGISTRY_URL));
        texts = new AvroSerde<>(registry, TextEvent.class);
        rewards = new AvroSerde<>(registry, RewardEvent.class);
        deadLetters = new AvroSerde<>(registry, DeadLetter.class);
        for (String name : config.paths()) {
            Path path = Path.of(name).toAbsolutePath();
            Map<String, String> partition = Map.of(PATH, path.toString());
            Map<String, Object> offset = context.offsetStorageReader().offset(partition);
            long resumeAt = offset == null ? 0 : ((Number) offset.get(LINES)).longValue();
            String prefix = config.getString(FileSourceConfig.REQUEST_ID_PREFIX);
            try {
                inputs.add(LabelledInput.open(config.format(), config.kind(), path,
                        prefix.isEmpty() ? path.getFileName() + "-" : prefix, resumeAt));
            } catch (IOException e) {
                throw new ConnectException("cannot open " + path + ": " + e.getMessage(), e);
            }
            partitions.add(partition);
            paths.add(path.toString());
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        int batch = config.getInt(FileSourceConfig.BATCH_SIZE);
        try {
            while (records.size() < batch && current < inputs.size()) {
                FileEntry entry = held != null ? held : inputs.get(current).next();
                held = null;
                if (entry == null) {
                    if (current == inputs.size() - 1) {
                        break; // follow the last file
                    }
                    current++;
                    continue;
                }
                pace();
                try {
                    records.add(record(entry));
                } catch (SchemaRegistryUnavailableException e) {
                    // The line is read but not sent: keep it for the next poll, and hand Connect what came before.
                    held = entry;
                    LOG.warn("the schema registry is unavailable; {}:{} is sent once it answers: {}",
                            paths.get(current), entry.line(), e.getMessage());
                    Thread.sleep(REGISTRY_RETRY_MS);
                    break;
                }
            }
        } catch (IOException e) {
            throw new ConnectException("cannot read " + paths.get(current) + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            Thread.sleep(IDLE_WAIT_MS);
            return null;
        }
        return records;
    }

    private SourceRecord record(FileEntry entry) {
        Map<String, String> partition = partitions.get(current);
        Map<String, Long> offset = Map.of(LINES, entry.position());
        if (entry.isMalformed()) {
            DeadLetter letter = DeadLetterRecords.of(entry.raw().getBytes(StandardCharsets.UTF_8), "malformed-line",
                    paths.get(current) + ":" + entry.line() + ": " + entry.error(),
                    new TopicOffset("file:" + paths.get(current), -1, entry.line()));
            String topic = config.getString(FileSourceConfig.DEAD_LETTER_TOPIC);
            ConnectHeaders headers = new ConnectHeaders();
            DeadLetterHeaders.of(letter).forEach(headers::addString);
            return new SourceRecord(partition, offset, topic, null, Schema.OPTIONAL_STRING_SCHEMA, null,
                    Schema.BYTES_SCHEMA, deadLetters.serialize(topic, letter), System.currentTimeMillis(), headers);
        }
        String topic = config.getString(FileSourceConfig.TOPIC);
        boolean isText = entry.text() != null;
        String key = isText ? entry.text().getRequestId() : entry.reward().getRequestId();
        byte[] value = isText ? texts.serialize(topic, entry.text()) : rewards.serialize(topic, entry.reward());
        Instant time = isText ? entry.text().getEventTime() : entry.reward().getEventTime();
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, key, Schema.BYTES_SCHEMA,
                value, time.toEpochMilli());
    }

    /** Sleeps as needed to stay at or under the configured records per second. */
    private void pace() throws InterruptedException {
        double rate = config.getDouble(FileSourceConfig.MAX_RECORDS_PER_SECOND);
        if (rate <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (nextRecordNanos > now) {
            Thread.sleep((nextRecordNanos - now) / 1_000_000, (int) ((nextRecordNanos - now) % 1_000_000));
        }
        nextRecordNanos = Math.max(now, nextRecordNanos) + (long) (1e9 / rate);
    }

    @Override
    public void stop() {
        for (LabelledInput input : inputs) {
            try {
                input.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        }
    }

    @Override
    public String version() {
        return Version.get();
    }
}
