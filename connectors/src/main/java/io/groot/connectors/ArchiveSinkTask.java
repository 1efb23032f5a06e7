package io.groot.connectors;

import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryUnavailableException;
import io.groot.schemas.serde.AvroSerde;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends each record as a JSON line with its Kafka coordinates. On (re)assignment it reads the last complete
 * line of each partition's file, drops a torn last line, and rewinds the consumer to the next offset: the file,
 * not the consumer group, says what was archived (exactly once).
 */
public final class ArchiveSinkTask extends SinkTask {
    private static final long REGISTRY_RETRY_MS = 1000;
    private Path root;
    private RestSchemaRegistry registry;
    private AvroSerde<TextEvent> texts;
    private AvroSerde<RewardEvent> rewards;
    private final Map<TopicPartition, FileChannel> files = new HashMap<>();
    private final Map<TopicPartition, Long> archivedThrough = new HashMap<>();

    @Override
    public void start(Map<String, String> props) {
        Map<String, Object> config = ArchiveSinkConnector.DEFINITION.parse(props);
        root = Path.of((String) config.get(ArchiveSinkConnector.DIRECTORY));
        registry = new RestSchemaRegistry((String) config.get(ArchiveSinkConnector.SCHEMA_REGISTRY_URL));
        texts = new AvroSerde<>(registry, TextEvent.class);
        rewards = new AvroSerde<>(registry, RewardEvent.class);
    }

    public static Path file(Path root, String topic, int partition) {
        return root.resolve(topic).resolve("partition-" + partition + ".jsonl");
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            try {
                Path path = file(root, tp.topic(), tp.partition());
                Files.createDirectories(path.getParent());
                FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                long last = lastArchivedOffset(path, channel);
                channel.position(channel.size());
                files.put(tp, channel);
                if (last >= 0) {
                    archivedThrough.put(tp, last);
                    context.offset(tp, last + 1);
                }
            } catch (IOException e) {
                throw new ConnectException("cannot open the archive of " + tp + ": " + e.getMessage(), e);
            }
        }
    }

    /** The {@code _offset} of the last complete line; a torn last line (a crash mid-write) is cut off. */
    private static long lastArchivedOffset(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return -1;
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        byte[] tail = new byte[1];
        channel.read(ByteBuffer.wrap(tail), size - 1);
        if (tail[0] != '\n') {
            String torn = lines.remove(lines.size() - 1);
            channel.truncate(size - torn.getBytes(StandardCharsets.UTF_8).length);
        }
        return lines.isEmpty() ? -1 : FeedbackJson.coordinate(lines.get(lines.size() - 1), "offset");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            Long through = archivedThrough.get(tp);
            if (through != null && record.kafkaOffset() <= through) {
                continue; // already in the file (delivered again before the rewind took effect)
            }
            byte[] value = (byte[]) record.value();
            String json;
            try {
                json = FeedbackJson.line(decode(record.topic(), value), coordinates(record));
            } catch (SchemaRegistryUnavailableException e) {
                // Connect delivers the batch again (the records already written are skipped above); failing the
                // task instead would leave it stopped until someone restarts it.
                context.timeout(REGISTRY_RETRY_MS);
                throw new RetriableException("cannot archive " + tp + "@" + record.kafkaOffset()
                        + " while the schema registry is unavailable; trying again in " + REGISTRY_RETRY_MS + " ms: "
                        + e.getMessage(), e);
            } catch (SerializationException | UnarchivableRecordException e) {
                reportUnarchivable(record, e);
                archivedThrough.put(tp, record.kafkaOffset());
                continue;
            }
            try {
                files.get(tp).write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            archivedThrough.put(tp, record.kafkaOffset());
        }
    }

    /** Texts and rewards are told apart by their writer schema, so one task can archive both topics. */
    private com.fasterxml.jackson.databind.node.ObjectNode decode(String topic, byte[] value) {
        String type = registry.schemaById(AvroSerde.checkedWriterId(topic, value)).getFullName();
        if (type.equals(TextEvent.getClassSchema().getFullName())) {
            return FeedbackJson.toJson(texts.deserialize(topic, value));
        }
        if (type.equals(RewardEvent.getClassSchema().getFullName())) {
            return FeedbackJson.toJson(rewards.deserialize(topic, value));
        }
        throw new UnarchivableRecordException("topic " + topic + " holds " + type
                + ": only texts and rewards are archived");
    }

    /**
     * A record that cannot be archived goes to Connect's dead-letter topic through the errant record reporter, the
     * worker's own mechanism (errors.tolerance=all, errors.deadletterqueue.topic.name). Without one the task stops,
     * as Connect's default errors.tolerance=none asks, with a message that says how to keep it going.
     */
    private void reportUnarchivable(SinkRecord record, RuntimeException e) {
        ErrantRecordReporter reporter = context.errantRecordReporter();
        if (reporter == null) {
            throw new ConnectException("cannot archive " + record.topic() + "-" + record.kafkaPartition() + "@"
                    + record.kafkaOffset() + ": " + e.getMessage() + "; set errors.tolerance=all and "
                    + "errors.deadletterqueue.topic.name to send such records to a dead-letter topic and go on", e);
        }
        reporter.report(record, e);
    }

    /** A record of a type the archive does not hold. */
    static final class UnarchivableRecordException extends ConnectException {
        private static final long serialVersionUID = 1L;

        UnarchivableRecordException(String message) {
            super(message);
        }
    }

    private static Map<String, Object> coordinates(SinkRecord record) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("topic", record.topic());
        c.put("partition", record.kafkaPartition());
        c.put("offset", record.kafkaOffset());
        c.put("timestamp", record.timestamp());
        return c;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (FileChannel channel : files.values()) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return super.preCommit(offsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            FileChannel channel = files.remove(tp);
            archivedThrough.remove(tp);
            try {
                if (channel != null) {
                    channel.force(false);
                    channel.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void stop() {
        close(List.copyOf(files.keySet()));
    }

    @Override
    public String version() {
        return Version.get();
    }
}
