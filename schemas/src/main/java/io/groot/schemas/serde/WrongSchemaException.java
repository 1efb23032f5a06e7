package io.groot.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes written with a registered schema that is not a version of the one the topic holds: another topic's
 * record (a reward on the texts topic, say), told apart from bytes that are merely malformed.
 */
public class WrongSchemaException extends SerializationException {
    public WrongSchemaException(String message) {
        super(message);
    }
}
