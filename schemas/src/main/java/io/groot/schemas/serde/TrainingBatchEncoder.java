package io.groot.schemas.serde;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.TrainingBatch;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Writes a {@link TrainingBatch} from contrast sets that are already encoded, without decoding them: Avro binary
 * is concatenative, so the batch is its header fields followed by the sets' bodies as one array block. The bytes
 * equal those {@link AvroSerde} writes for the same batch. A set written under an older ContrastSet schema (state
 * kept across an upgrade) is decoded and re-encoded first, so every body matches the batch's schema.
 */
public final class TrainingBatchEncoder {
    private static final List<String> FIELDS = List.of("batchId", "createdAt", "contrastSets");
    private final AvroSerde<TrainingBatch> batches;
    private final AvroSerde<ContrastSet> sets;

    public TrainingBatchEncoder(AvroSerde<TrainingBatch> batches, AvroSerde<ContrastSet> sets) {
        List<String> fields = batches.schema().getFields().stream().map(Schema.Field::name).toList();
        if (!fields.equals(FIELDS) || !batches.schema().getField("contrastSets").schema().getElementType()
                .equals(sets.schema())) {
            throw new IllegalStateException("TrainingBatch changed (fields " + fields + "): update this encoder");
        }
        this.batches = batches;
        this.sets = sets;
    }

    /**
     * @param topic        where the batch goes (its schema is registered under that topic's subject)
     * @param encodedSets  contrast sets in the wire format, as {@link AvroSerde#serialize} writes them
     */
    public byte[] encode(String topic, String batchId, Instant createdAt, List<byte[]> encodedSets) {
        int size = 64 + batchId.length() * 3;
        for (byte[] set : encodedSets) {
            size += set.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(AvroSerde.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(batches.schemaId(topic)).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            // Field order of TrainingBatch: batchId, createdAt, contrastSets.
            encoder.writeString(batchId);
            encoder.writeLong(createdAt.toEpochMilli());
            encoder.writeArrayStart();
            encoder.setItemCount(encodedSets.size());
            for (byte[] set : encodedSets) {
                encoder.startItem();
                if (sets.writesAs(AvroSerde.writerId(set))) {
                    encoder.writeFixed(set, AvroSerde.HEADER_BYTES, set.length - AvroSerde.HEADER_BYTES);
                } else {
                    sets.writeBody(sets.deserialize(topic, set), encoder);
                }
            }
            encoder.writeArrayEnd();
            encoder.flush();
        } catch (IOException e) {
            throw new SerializationException("cannot write training batch " + batchId + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
