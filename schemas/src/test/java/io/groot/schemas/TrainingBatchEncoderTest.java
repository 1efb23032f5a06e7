package io.groot.schemas;

import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.schemas.serde.TrainingBatchEncoder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TrainingBatchEncoderTest {
    private static final String STORE_TOPIC = "app-pending-contrast-sets-changelog";
    private static final String TOPIC = "groot.training-batches";
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final GrootSerdes serdes = new GrootSerdes(registry);
    private final TrainingBatchEncoder encoder = new TrainingBatchEncoder(serdes.trainingBatches(),
            serdes.contrastSets());

    @Test
    void writesTheSameBytesAsTheSerde() {
        List<ContrastSet> sets = List.of(set("r1", 1_000L), set("r2", null), set("r3", 3_000L));
        List<byte[]> encoded = new ArrayList<>();
        sets.forEach(s -> encoded.add(serdes.contrastSets().serialize(STORE_TOPIC, s)));
        TrainingBatch batch = new TrainingBatch("0_0-r1", Instant.ofEpochMilli(42), sets);

        byte[] assembled = encoder.encode(TOPIC, "0_0-r1", Instant.ofEpochMilli(42), encoded);

        assertArrayEquals(serdes.trainingBatches().serialize(TOPIC, batch), assembled);
        assertEquals(batch, serdes.trainingBatches().deserialize(TOPIC, assembled));
        assertArrayEquals(serdes.trainingBatches().serialize(TOPIC, new TrainingBatch("empty", Instant.EPOCH,
                List.of())), encoder.encode(TOPIC, "empty", Instant.EPOCH, List.of()));
    }

    @Test
    void reencodesASetWrittenUnderAnOlderSchema() throws Exception {
        // A set kept in state from before feedbackTime existed: its body alone would not fit the batch's schema.
        Schema old = SchemaEvolutionTest.withoutField(ContrastSet.getClassSchema(), "feedbackTime");
        int oldId = registry.register(STORE_TOPIC + "-value", old);
        ContrastSet set = set("r9", null);
        GenericRecord record = new GenericData.Record(old);
        for (Schema.Field f : old.getFields()) {
            record.put(f.name(), genericValue(set, f.name()));
        }
        byte[] written = SchemaEvolutionTest.wire(oldId, old, record);

        byte[] assembled = encoder.encode(TOPIC, "b", Instant.EPOCH, List.of(written,
                serdes.contrastSets().serialize(STORE_TOPIC, set("r10", 5L))));

        TrainingBatch read = serdes.trainingBatches().deserialize(TOPIC, assembled);
        assertEquals(List.of(set("r9", null), set("r10", 5L)), read.getContrastSets());
        assertNull(read.getContrastSets().get(0).getFeedbackTime(), "the missing field took its default");
    }

    /** The field of a specific record as generic data (enums and records converted by a round trip). */
    private static Object genericValue(ContrastSet set, String field) throws Exception {
        Object value = set.get(field);
        if (value == null) {
            return null;
        }
        Schema schema = ContrastSet.getClassSchema().getField(field).schema();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder binary = EncoderFactory.get().directBinaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(schema).write(value, binary);
        binary.flush();
        return new org.apache.avro.generic.GenericDatumReader<>(schema).read(null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static ContrastSet set(String requestId, Long feedbackMillis) {
        return ContrastSet.newBuilder().setRequestId(requestId).setTokens(List.of("fly", "to", "boston"))
                .setModelVersion(2).setRewardFunction("f0.5").setRewardEventId("e-" + requestId)
                .setReferenceLabels(List.of("O", "O", "B-city"))
                .setMembers(List.of(new ContrastMember(List.of("O", "O", "O"), 0.0, Origin.MODEL, 1, -0.2),
                        new ContrastMember(List.of("O", "O", "B-city"), 1.0, Origin.REFERENCE, null, null)))
                .setTextSource(new TopicOffset("groot.texts", 0, 7L)).setRewardSource(null)
                .setFeedbackTime(feedbackMillis == null ? null : Instant.ofEpochMilli(feedbackMillis)).build();
    }
}
