package io.groot.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default: a registry inside the process, with the same id and compatibility semantics as a
 * Confluent registry (global ids, per-subject versions, BACKWARD unless configured). Every component of one
 * process must share one instance; a deployment of several processes points them all at a real registry.
 * With a journal file ({@link #persistentAt}) its registrations survive restarts, so records written by an earlier
 * run stay readable.
 */
public final class InMemorySchemaRegistry implements BrowsableSchemaRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path journal;
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

    /** A registry that replays, then appends to, a journal of registrations (one JSON object per line). */
    public static InMemorySchemaRegistry persistentAt(Path journal) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try {
            if (Files.exists(journal)) {
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        JsonNode entry = JSON.readTree(line);
                        registry.register(entry.get("subject").asText(),
                                new Schema.Parser().parse(entry.get("schema").asText()));
                    }
                }
            } else {
                Files.createDirectories(journal.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema journal " + journal, e);
        }
        registry.journal = journal;
        return registry;
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
        int id = idsBySchema.computeIfAbsent(schema, s -> {
            int next = schemasById.size() + 1;
            schemasById.put(next, s);
            return next;
        });
        appendToJournal(subject, schema);
        return id;
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

    @Override
    public synchronized List<String> subjects() {
        return versionsBySubject.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .sorted().toList();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        int count = registered(subject).size();
        return java.util.stream.IntStream.rangeClosed(1, count).boxed().toList();
    }

    @Override
    public synchronized SubjectVersion version(String subject, int version) {
        List<Schema> versions = registered(subject);
        int number = version == LATEST ? versions.size() : version;
        if (number < 1 || number > versions.size()) {
            throw new UnknownVersionException(subject, version);
        }
        Schema schema = versions.get(number - 1);
        return new SubjectVersion(subject, number, idsBySchema.get(schema), schema);
    }

    @Override
    public synchronized Optional<SubjectVersion> lookup(String subject, Schema schema) {
        int index = versionsBySubject.getOrDefault(subject, List.of()).indexOf(schema);
        return index < 0 ? Optional.empty()
                : Optional.of(new SubjectVersion(subject, index + 1, idsBySchema.get(schema), schema));
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return subject == null ? defaultLevel : levelOf(subject);
    }

    private List<Schema> registered(String subject) {
        List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            throw new UnknownSubjectException(subject);
        }
        return versions;
    }

    /** Replaying registrations in order gives every schema its old id back. */
    private void appendToJournal(String subject, Schema schema) {
        if (journal == null) {
            return;
        }
        String line = JSON.createObjectNode().put("subject", subject).put("schema", schema.toString()) + "\n";
        try {
            Files.writeString(journal, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SchemaRegistryException("cannot append to the schema journal " + journal + ": " + e, e);
        }
    }

    private CompatibilityLevel levelOf(String subject) {
        return levels.getOrDefault(subject, defaultLevel);
    }
}
