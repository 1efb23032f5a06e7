package io.groot.streams.common;

import io.groot.schemas.DeadLetter;
import io.groot.schemas.DeadLetterHeaders;
import io.groot.schemas.DeadLetterRecords;
import io.groot.schemas.TopicOffset;
import io.groot.schemas.registry.SchemaRegistryUnavailableException;
import io.groot.schemas.registry.UnknownSchemaException;
import io.groot.schemas.serde.WrongSchemaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.Map;
import java.util.Optional;

/**
 * Builds dead letters (original bytes untouched, reason, source coordinates) and splits routed streams into
 * their values and the dead-letter topic. The reason also goes into headers, so tools can filter without Avro.
 */
public final class DeadLetters {
    public static final String REASON_HEADER = DeadLetterHeaders.REASON;

    private DeadLetters() {
    }

    public static DeadLetter of(byte[] original, String reason, String error, Optional<RecordMetadata> source) {
        return DeadLetterRecords.of(original, reason, error, source
                .map(m -> new TopicOffset(m.topic(), m.partition(), m.offset())).orElse(null));
    }

    /** As above, for a record that may have come through a repartition topic ({@link SourceOffsets}). */
    private static DeadLetter of(byte[] original, String reason, String error,
                                 org.apache.kafka.common.header.Headers headers, Optional<RecordMetadata> read) {
        return DeadLetterRecords.of(original, reason, error, SourceOffsets.of(headers, read).orElse(null));
    }

    /**
     * The dead-letter reason for a record that could not be read. Anything else (a schema registry that cannot be
     * reached, say) is rethrown: the record is retried after recovery, not dead-lettered.
     */
    public static String unreadableReason(RuntimeException e) {
        if (e instanceof SchemaRegistryUnavailableException) {
            throw e; // a registry failure is a SerializationException too, but the record is not at fault
        }
        if (e instanceof UnknownSchemaException) {
            return "unknown-schema";
        }
        if (e instanceof WrongSchemaException) {
            return "wrong-schema";
        }
        if (e instanceof SerializationException) {
            return "malformed-record";
        }
        throw e;
    }

    /** Forwards {@code record} (raw input bytes) as a dead letter with the reason, also in its headers. */
    public static <V> void forward(FixedKeyProcessorContext<String, Routed<V>> context,
                                   FixedKeyRecord<String, byte[]> record, String reason, String error) {
        DeadLetter letter = of(record.value(), reason, error, record.headers(), context.recordMetadata());
        DeadLetterHeaders.annotate(record.headers(), letter);
        context.forward(record.withValue(Routed.dead(letter)));
    }

    /** As above, for processors that may change keys. */
    public static <V> void forward(ProcessorContext<String, Routed<V>> context, Record<String, byte[]> record,
                                   String reason, String error) {
        DeadLetter letter = of(record.value(), reason, error, record.headers(), context.recordMetadata());
        DeadLetterHeaders.annotate(record.headers(), letter);
        context.forward(record.withValue(Routed.dead(letter)));
    }

    /** Sends dead letters to {@code topic} and returns the stream of values. */
    public static <V> KStream<String, V> split(KStream<String, Routed<V>> routed, String name, String topic,
                                                Produced<String, DeadLetter> produced) {
        Map<String, KStream<String, Routed<V>>> branches = routed.split(Named.as(name + "-"))
                .branch((key, value) -> value.isDead(), Branched.as("dead"))
                .defaultBranch(Branched.as("ok"));
        // A dead letter keeps the key its record was written with, null included (see SourceOffsets.NULL_KEY).
        branches.get(name + "-dead").map((key, value) -> KeyValue.pair(SourceOffsets.originalKey(key),
                        value.deadLetter()), Named.as(name + "-dead-letter"))
                .to(topic, produced);
        return branches.get(name + "-ok").mapValues(Routed::value, Named.as(name + "-value"));
    }
}
