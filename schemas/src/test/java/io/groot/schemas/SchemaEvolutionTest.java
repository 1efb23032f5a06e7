package io.groot.schemas;

import io.groot.schemas.registry.CompatibilityLevel;
import io.groot.schemas.registry.IncompatibleSchemaException;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.AvroSerde;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaEvolutionTest {
    private static final String SUBJECT = "groot.texts-value";
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void backwardCompatibleChangeIsAcceptedAndOldDataStillReads() throws Exception {
        // v1 of the texts schema: TextEvent without metadata (the field our generated class adds with a default).
        Schema v1 = withoutField(TextEvent.getClassSchema(), "metadata");
        int v1Id = registry.register(SUBJECT, v1);

        assertTrue(registry.isCompatible(SUBJECT, TextEvent.getClassSchema()));
        int v2Id = registry.register(SUBJECT, TextEvent.getClassSchema());
        assertTrue(v2Id != v1Id);

        GenericRecord old = new GenericData.Record(v1);
        old.put("requestId", "r1");
        old.put("text", "play jazz");
        old.put("tokens", List.of("play", "jazz"));
        old.put("eventTime", 77L);
        TextEvent read = new AvroSerde<>(registry, TextEvent.class).deserialize("groot.texts", wire(v1Id, v1, old));

        assertEquals("play jazz", read.getText());
        assertTrue(read.getMetadata().isEmpty(), "missing field takes its default");
        assertEquals(Instant.ofEpochMilli(77), read.getEventTime());
    }

    @Test
    void addingARequiredFieldIsRefusedWithAClearError() {
        registry.register(SUBJECT, TextEvent.getClassSchema());
        Schema incompatible = SchemaBuilder.record("TextEvent").namespace("io.groot.schemas").fields()
                .requiredString("requestId").requiredString("text").requiredString("language").endRecord();

        assertFalse(registry.isCompatible(SUBJECT, incompatible));
        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> registry.register(SUBJECT, incompatible));
        assertTrue(e.getMessage().contains(SUBJECT), e.getMessage());
        assertTrue(e.getMessage().contains("language"), "names the offending field: " + e.getMessage());
    }

    @Test
    void noneLevelAcceptsAnything() {
        registry.setCompatibility(SUBJECT, CompatibilityLevel.NONE);
        registry.register(SUBJECT, TextEvent.getClassSchema());
        Schema other = SchemaBuilder.record("X").fields().requiredInt("n").endRecord();
        registry.register(SUBJECT, other);
    }

    @Test
    void aJournaledRegistryGivesTheSameIdsAfterARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path journal = dir.resolve("schemas.jsonl");
        InMemorySchemaRegistry first = InMemorySchemaRegistry.persistentAt(journal);
        int texts = first.register("a-value", TextEvent.getClassSchema());
        int other = first.register("b-value", CandidateSet.getClassSchema());

        InMemorySchemaRegistry reopened = InMemorySchemaRegistry.persistentAt(journal);
        assertEquals(TextEvent.getClassSchema(), reopened.schemaById(texts));
        assertEquals(CandidateSet.getClassSchema(), reopened.schemaById(other));
        assertEquals(other, reopened.register("b-value", CandidateSet.getClassSchema()));
        assertEquals(other + 1, reopened.register("c-value", ModelVersion.getClassSchema()));
    }

    static Schema withoutField(Schema schema, String dropped) {
        List<Schema.Field> fields = schema.getFields().stream().filter(f -> !f.name().equals(dropped))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** A record in the wire format under {@code id}, written by a generic writer of {@code schema}. */
    static byte[] wire(int id, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
