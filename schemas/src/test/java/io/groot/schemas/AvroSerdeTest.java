package io.groot.schemas;

import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.AvroSerde;
import io.groot.schemas.serde.GrootSerdes;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroSerdeTest {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final GrootSerdes serdes = new GrootSerdes(registry);

    @Test
    void writesConfluentWireFormatAndReadsItBack() {
        TextEvent text = TextEvent.newBuilder()
                .setRequestId("r1").setText("book a table").setTokens(List.of("book", "a", "table"))
                .setMetadata(Map.of("intent", "BookRestaurant")).setEventTime(Instant.ofEpochMilli(1234))
                .build();
        byte[] bytes = serdes.texts().serialize("groot.texts", text);

        assertEquals(0, bytes[0], "magic byte");
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(TextEvent.getClassSchema(), registry.schemaById(id), "id names the writer schema");
        assertEquals(text, serdes.texts().deserialize("groot.texts", bytes));
    }

    @Test
    void roundTripsEveryTopicRecord() {
        TopicOffset source = new TopicOffset("groot.texts", 2, 40L);
        ArtifactRef artifact = new ArtifactRef("file:///tmp/a.zip", "ab".repeat(32), 99L);
        CandidateSet candidates = CandidateSet.newBuilder().setRequestId("r").setTokens(List.of("a"))
                .setModelName("m").setModelVersion(3).setTextEventTime(Instant.ofEpochMilli(1))
                .setGeneratedAt(Instant.ofEpochMilli(2)).setTextSource(source)
                .setCandidates(List.of(new Candidate(1, List.of("O"), -0.5))).build();
        RewardEvent reward = RewardEvent.newBuilder().setRequestId("r").setEventId("e").setSource("s")
                .setEventTime(Instant.ofEpochMilli(3)).setReferenceLabels(List.of("B-x")).build();
        ContrastSet contrast = ContrastSet.newBuilder().setRequestId("r").setTokens(List.of("a")).setModelVersion(3)
                .setRewardFunction("f0.5").setRewardEventId("e").setReferenceLabels(List.of("B-x"))
                .setMembers(List.of(new ContrastMember(List.of("O"), 0.0, Origin.MODEL, 1, -0.5),
                        new ContrastMember(List.of("B-x"), 1.0, Origin.REFERENCE, null, null)))
                .setTextSource(source).setRewardSource(null).build();
        TrainingBatch batch = new TrainingBatch("b", Instant.ofEpochMilli(4), List.of(contrast));
        ModelVersion version = ModelVersion.newBuilder().setModelName("m").setVersion(4).setParentVersion(3L)
                .setArtifact(artifact).setCreatedAt(Instant.ofEpochMilli(5)).setStatus(PromotionStatus.PROMOTED)
                .setServingVersion(4).setServingArtifact(artifact).setMetrics(Map.of("loss", 0.3))
                .setTrainedThrough(List.of(new TopicOffset("groot.training-batches", 0, 7L)))
                .setTrainingExamples(32).build();
        DeadLetter dead = new DeadLetter(java.nio.ByteBuffer.wrap(new byte[]{1, 2}), "malformed-record", "bad",
                "groot.texts", 0, 9L, Instant.ofEpochMilli(6));

        assertEquals(candidates, roundTrip(serdes.candidates(), "c", candidates));
        assertEquals(reward, roundTrip(serdes.rewards(), "r", reward));
        assertEquals(batch, roundTrip(serdes.trainingBatches(), "t", batch));
        assertEquals(version, roundTrip(serdes.modelVersions(), "m", version));
        assertEquals(dead, roundTrip(serdes.deadLetters(), "d", dead));

        // The serde writes with Avro's generated encoders; the bytes must be those of its schema walk.
        assertWritesAsSchemaWalk(serdes.candidates(), candidates);
        contrast.setFeedbackTime(Instant.ofEpochMilli(7)); // a nullable timestamp: a union of null and a conversion
        assertWritesAsSchemaWalk(serdes.contrastSets(), contrast);
        assertWritesAsSchemaWalk(serdes.trainingBatches(), batch);
        assertWritesAsSchemaWalk(serdes.modelVersions(), version);
    }

    private static <T extends SpecificRecord> void assertWritesAsSchemaWalk(AvroSerde<T> serde, T record) {
        byte[] written = serde.serialize("walk-" + serde.schema().getName(), record);
        ByteArrayOutputStream walked = new ByteArrayOutputStream();
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(walked, null);
            new SpecificDatumWriter<T>(serde.schema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertArrayEquals(walked.toByteArray(),
                Arrays.copyOfRange(written, AvroSerde.HEADER_BYTES, written.length), serde.schema().getName());
    }

    @Test
    void refusesBytesThatAreNotInTheWireFormat() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serdes.texts().deserialize("groot.texts", "{\"json\":1}".getBytes()));
        assertTrue(e.getMessage().contains("magic byte"), e.getMessage());
    }

    @Test
    void refusesAnUnknownSchemaIdWithTheId() {
        byte[] bytes = {0, 0, 0, 0, 42, 2, 2};
        SerializationException e = assertThrows(SerializationException.class,
                () -> serdes.texts().deserialize("groot.texts", bytes));
        assertTrue(e.getMessage().contains("42"), e.getMessage());
    }

    @Test
    void refusesTruncatedAvroBody() {
        TextEvent text = TextEvent.newBuilder().setRequestId("r1").setText("t").setTokens(List.of("t"))
                .setEventTime(Instant.ofEpochMilli(1)).build();
        byte[] bytes = serdes.texts().serialize("groot.texts", text);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(SerializationException.class, () -> serdes.texts().deserialize("groot.texts", truncated));
    }

    @Test
    void sameSchemaOnTwoTopicsSharesOneId() {
        TextEvent text = TextEvent.newBuilder().setRequestId("r").setText("t").setTokens(List.of("t"))
                .setEventTime(Instant.ofEpochMilli(1)).build();
        byte[] a = serdes.texts().serialize("a", text);
        byte[] b = serdes.texts().serialize("b", text);
        assertArrayEquals(a, b);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(AvroSerde<T> serde, String topic,
                                                                                   T value) {
        return serde.deserialize(topic, serde.serialize(topic, value));
    }
}
