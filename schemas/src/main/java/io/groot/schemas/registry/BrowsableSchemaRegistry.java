package io.groot.schemas.registry;

import org.apache.avro.Schema;

import java.util.List;
import java.util.Optional;

/**
 * A registry that can also list what it holds, as the read side of the Confluent REST API does: the calls that
 * serializers ({@code POST /subjects/{s}} lookups), kcat and the Confluent CLI make. {@link SchemaRegistryServer}
 * serves them for such a registry.
 */
public interface BrowsableSchemaRegistry extends SchemaRegistry {
    /** In {@link #version}: the subject's newest version. */
    int LATEST = -1;

    /** One registered version of a subject, as the API's {@code {subject, version, id, schema}}. */
    record SubjectVersion(String subject, int version, int id, Schema schema) {
    }

    /** Subjects with at least one version, sorted. */
    List<String> subjects();

    /** The subject's versions, 1 first. @throws UnknownSubjectException if it has none */
    List<Integer> versions(String subject);

    /**
     * A version of the subject ({@link #LATEST} for the newest).
     *
     * @throws UnknownSubjectException if the subject has no versions
     * @throws UnknownVersionException if it has not that one
     */
    SubjectVersion version(String subject, int version);

    /** The version of the subject that holds exactly this schema, if one does. */
    Optional<SubjectVersion> lookup(String subject, Schema schema);

    /** The compatibility level that applies to the subject (its own, or the default); null for the default. */
    CompatibilityLevel compatibility(String subject);

    /** No version of this subject is registered. */
    final class UnknownSubjectException extends SchemaRegistryException {
        public UnknownSubjectException(String subject) {
            super("subject '" + subject + "' not found");
        }
    }

    /** The subject has versions, but not this one. */
    final class UnknownVersionException extends SchemaRegistryException {
        public UnknownVersionException(String subject, int version) {
            super("subject '" + subject + "' has no version " + version);
        }
    }
}
