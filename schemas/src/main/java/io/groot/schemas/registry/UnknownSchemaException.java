package io.groot.schemas.registry;

/** No schema is registered under the id a record names. */
public class UnknownSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public UnknownSchemaException(int id) {
        super("no schema is registered with id " + id);
    }
}
