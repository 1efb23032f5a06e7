package io.groot.streams.common;

import io.groot.schemas.TopicOffset;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a record came from, kept across a repartition: the record is stamped with its input topic, partition and
 * offset in a header before it goes through an internal topic, so that dead letters and contrast sets name the
 * record the user wrote, not its copy in the repartition topic.
 */
public final class SourceOffsets {
    public static final String HEADER = "groot.source";
    /**
     * Stands for a null key through the repartition topic, which would drop the record: the validator dead-letters
     * it as {@code missing-key}, and the dead letter gets its null key back ({@link #originalKey}).
     */
    public static final String NULL_KEY = "\u0000groot-null-key";
    private static final String SEPARATOR = "|";  // not a legal character in a topic name

    private SourceOffsets() {
    }

    /** The record's origin: its stamp if it has one, else where the processor read it. */
    public static Optional<TopicOffset> of(Headers headers, Optional<RecordMetadata> read) {
        Header stamp = headers.lastHeader(HEADER);
        if (stamp != null) {
            String[] parts = new String(stamp.value(), StandardCharsets.UTF_8).split("\\|");
            if (parts.length == 3) {
                try {
                    return Optional.of(new TopicOffset(parts[0], Integer.parseInt(parts[1]),
                            Long.parseLong(parts[2])));
                } catch (NumberFormatException unreadable) {
                    // a producer's own header of that name: fall back to where it was read
                }
            }
        }
        return read.map(m -> new TopicOffset(m.topic(), m.partition(), m.offset()));
    }

    /** The key the record was written with: null for {@link #NULL_KEY}. */
    public static String originalKey(String key) {
        return NULL_KEY.equals(key) ? null : key;
    }

    /**
     * Stamps each record with where it was read (replacing a stamp a producer may have sent) and gives a null key
     * the {@link #NULL_KEY} stand-in; values pass unchanged.
     */
    public static <V> Processor<String, V, String, V> stamper() {
        return new Processor<>() {
            private ProcessorContext<String, V> context;

            @Override
            public void init(ProcessorContext<String, V> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, V> record) {
                Headers headers = record.headers();
                headers.remove(HEADER);
                context.recordMetadata().ifPresent(m -> headers.add(HEADER,
                        (m.topic() + SEPARATOR + m.partition() + SEPARATOR + m.offset())
                                .getBytes(StandardCharsets.UTF_8)));
                context.forward(record.key() == null ? record.withKey(NULL_KEY) : record);
            }
        };
    }
}
