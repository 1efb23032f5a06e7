package io.groot.schemas.registry;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default: a registry inside the process, with the same id and compatibility semantics as a
 * Confluent registry (global ids, per-subject versions, BACKWARD unless configured). Every component of one
 * process must share one instance; a deployment of several processes points them all at a real registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> levels = new HashMap<>();
    private final CompatibilityLevel defaultLevel;

    public InMemorySchemaRegistry() {
        this(CompatibilityLevel.BACKWARD);
    }

    public InMemorySchemaRegistry(CompatibilityLevel defaultLevel) {
        this.defaultLevel = defaultLevel;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (versions.contains(schema)) {
            return idsBySchema.get(schema);
        }
        String problem = levelOf(subject).incompatibility(schema, versions);
        if (problem != null) {
            throw new IncompatibleSchemaException(subject, problem);
        }
        versions.add(schema);
        return idsBySchema.computeIfAbsent(schema, s -> {
            int id = schemasById.size() + 1;
            schemasById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new UnknownSchemaException(id);
        }
        return schema;
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levels.put(subject, level);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return levelOf(subject).incompatibility(schema, versionsBySubject.getOrDefault(subject, List.of())) == null;
    }

    private CompatibilityLevel levelOf(String subject) {
        return levels.getOrDefault(subject, defaultLevel);
    }
}
