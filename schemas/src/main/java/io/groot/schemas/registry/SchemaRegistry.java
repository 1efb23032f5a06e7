package io.groot.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API this project needs. Implementations: an embedded in-memory
 * registry (the default, no server) and a REST client for any Confluent-API registry (Confluent, Redpanda,
 * Karapace, Apicurio's ccompat API). Subjects follow TopicNameStrategy: {@code <topic>-value}.
 */
public interface SchemaRegistry extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} (idempotent: an already registered schema returns its id).
     *
     * @throws IncompatibleSchemaException if the subject's compatibility level refuses the schema
     */
    int register(String subject, Schema schema);

    /** The schema with this global id. @throws UnknownSchemaException if there is none */
    Schema schemaById(int id);

    /** Sets the subject's compatibility level (BACKWARD unless set). */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** Whether {@code schema} could be registered under {@code subject} now. */
    boolean isCompatible(String subject, Schema schema);

    @Override
    default void close() {
    }

    static String valueSubject(String topic) {
        return topic + "-value";
    }
}
