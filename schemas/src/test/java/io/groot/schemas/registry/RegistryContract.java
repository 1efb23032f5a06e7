package io.groot.schemas.registry;

import io.groot.schemas.TextEvent;
import io.groot.schemas.serde.AvroSerde;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the REST client must do against any real Confluent-API registry. Shared (test-jar) with the module that
 * runs it against Apicurio and Confluent's images.
 */
public abstract class RegistryContract {

    /** Base URL of the Confluent API of a running registry. */
    protected abstract String baseUrl();

    /** Registries whose default compatibility is not BACKWARD (Apicurio: NONE) get it set per subject. */
    private RestSchemaRegistry client(String subject) {
        RestSchemaRegistry registry = new RestSchemaRegistry(baseUrl());
        registry.setCompatibility(subject, CompatibilityLevel.BACKWARD);
        return registry;
    }

    private static String freshTopic() {
        return "contract-" + UUID.randomUUID();
    }

    @Test
    void writesTheWireFormatThatAnotherClientReads() {
        String topic = freshTopic();
        TextEvent text = TextEvent.newBuilder().setRequestId("r1").setText("play jazz")
                .setTokens(List.of("play", "jazz")).setMetadata(Map.of("k", "v")).setEventTime(Instant.ofEpochMilli(5))
                .build();
        byte[] bytes = new AvroSerde<>(client(topic + "-value"), TextEvent.class).serialize(topic, text);

        assertEquals(0, bytes[0]);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        RestSchemaRegistry fresh = new RestSchemaRegistry(baseUrl());
        assertEquals(TextEvent.getClassSchema(), fresh.schemaById(id), "the server returns the writer schema");
        assertEquals(text, new AvroSerde<>(fresh, TextEvent.class).deserialize(topic, bytes));
    }

    @Test
    void acceptsABackwardCompatibleChangeAndRefusesAnIncompatibleOne() {
        String subject = freshTopic() + "-value";
        RestSchemaRegistry registry = client(subject);
        Schema v1 = SchemaBuilder.record("Feedback").namespace("io.groot.test").fields()
                .requiredString("requestId").endRecord();
        Schema v2 = SchemaBuilder.record("Feedback").namespace("io.groot.test").fields()
                .requiredString("requestId").name("source").type().stringType().stringDefault("unknown").endRecord();
        Schema broken = SchemaBuilder.record("Feedback").namespace("io.groot.test").fields()
                .requiredString("requestId").requiredString("annotator").endRecord();

        int first = registry.register(subject, v1);
        assertEquals(first, registry.register(subject, v1), "registering again is idempotent");
        assertTrue(registry.isCompatible(subject, v2));
        int second = registry.register(subject, v2);
        assertTrue(second != first);

        assertFalse(registry.isCompatible(subject, broken));
        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class,
                () -> registry.register(subject, broken));
        assertTrue(refused.getMessage().contains(subject), refused.getMessage());
        assertTrue(refused.getMessage().contains("annotator"), "names the offending field: " + refused.getMessage());
    }

    @Test
    void anUnknownIdIsAClearError() {
        UnknownSchemaException e = assertThrows(UnknownSchemaException.class,
                () -> new RestSchemaRegistry(baseUrl()).schemaById(987654));
        assertTrue(e.getMessage().contains("987654"));
    }
}
