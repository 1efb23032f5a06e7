package io.groot.schemas.registry;

/** A schema refused by the subject's compatibility level (HTTP 409 from a Confluent-API registry). */
public class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String subject, String why) {
        super("schema refused for subject '" + subject + "': " + why);
    }
}
