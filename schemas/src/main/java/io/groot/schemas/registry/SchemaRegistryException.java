package io.groot.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/** A failure talking to, or refused by, the schema registry. */
public class SchemaRegistryException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
