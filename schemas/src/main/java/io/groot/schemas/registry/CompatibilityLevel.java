package io.groot.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.List;

/** Confluent's compatibility levels, checked with Avro's own reader/writer resolution rules. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /**
     * Why {@code candidate} may not follow {@code existing} (oldest first), or null if it may.
     * BACKWARD: consumers on the new schema read data written with the old one.
     */
    public String incompatibility(Schema candidate, List<Schema> existing) {
        if (this == NONE || existing.isEmpty()) {
            return null;
        }
        boolean transitive = name().endsWith("_TRANSITIVE");
        List<Schema> against = transitive ? existing : List.of(existing.get(existing.size() - 1));
        boolean backward = this != FORWARD && this != FORWARD_TRANSITIVE;
        boolean forward = this != BACKWARD && this != BACKWARD_TRANSITIVE;
        for (Schema old : against) {
            if (backward) {
                String problem = describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old));
                if (problem != null) {
                    return "new schema cannot read data written with an existing one (" + this + "): " + problem;
                }
            }
            if (forward) {
                String problem = describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate));
                if (problem != null) {
                    return "existing schema cannot read data written with the new one (" + this + "): " + problem;
                }
            }
        }
        return null;
    }

    private static String describe(SchemaCompatibility.SchemaPairCompatibility result) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(incompatibility.getType()).append(" at ").append(incompatibility.getLocation())
                    .append(": ").append(incompatibility.getMessage());
        }
        return out.toString();
    }
}
