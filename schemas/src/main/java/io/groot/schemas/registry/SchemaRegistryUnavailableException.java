package io.groot.schemas.registry;

/**
 * The registry could not answer (unreachable, timed out, overloaded, failing): nothing is known about the record
 * that needed it, so callers retry it later rather than treat it as bad input.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryUnavailableException(String message) {
        super(message);
    }

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
