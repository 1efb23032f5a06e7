package io.groot.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the Confluent Schema Registry REST API (works with Confluent, Redpanda, Karapace, and
 * Apicurio's {@code /apis/ccompat/v7}). Ids are cached both ways, so a steady-state serde makes no calls.
 */
public final class RestSchemaRegistry implements SchemaRegistry {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pauses before the second and third attempts at a request the registry could not answer. */
    private static final long[] RETRY_PAUSES_MS = {100, 300};

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    /**
     * Each request times out after 2 s and is tried 3 times, 0.1 s then 0.3 s apart, before the registry counts as
     * unavailable: a blip of a second or two is absorbed, and a stream thread waiting on a registry that is down
     * gives up within about 7 s, inside Kafka Streams' 10 s exactly-once transaction timeout.
     */
    public RestSchemaRegistry(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(2));
    }

    /** @param timeout of each attempt at a request */
    public RestSchemaRegistry(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> known = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = known.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode response = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                subject);
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry answered without an id: " + response);
        }
        known.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = call("GET", "/schemas/ids/" + id, null, null);
        Schema schema = new Schema.Parser().parse(response.path("schema").asText());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        call("PUT", "/config/" + encode(subject), body.toString(), subject);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode response = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema), subject);
            return response.path("is_compatible").asBoolean(false);
        } catch (UnknownSubjectException noVersionsYet) {
            return true;
        }
    }

    private JsonNode call(String method, String path, String body, String subject) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE);
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest built = request.build();
        for (int attempt = 1; ; attempt++) {
            try {
                try {
                    return interpret(method, path, subject, http.send(built, HttpResponse.BodyHandlers.ofString()));
                } catch (IOException | SchemaRegistryUnavailableException e) {
                    if (attempt > RETRY_PAUSES_MS.length) {
                        throw e instanceof SchemaRegistryUnavailableException unavailable ? unavailable
                                : new SchemaRegistryUnavailableException("schema registry at " + baseUrl
                                + " unreachable: " + e, e);
                    }
                }
                Thread.sleep(RETRY_PAUSES_MS[attempt - 1]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("interrupted calling the schema registry", e);
            }
        }
    }

    private JsonNode interpret(String method, String path, String subject, HttpResponse<String> response) {
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return json;
        }
        String message = json.path("message").asText(response.body());
        if (status == 409) {
            throw new IncompatibleSchemaException(subject, message);
        }
        if (status == 404 && path.startsWith("/schemas/ids/")) {
            throw new UnknownSchemaException(Integer.parseInt(path.substring("/schemas/ids/".length())));
        }
        if (status == 404 && subject != null) {
            throw new UnknownSubjectException(subject, message);
        }
        String failure = method + " " + path + " answered HTTP " + status + ": " + message;
        // A server error or throttling says nothing about the request: it is worth asking again.
        throw status / 100 == 5 || status == 429 ? new SchemaRegistryUnavailableException(failure)
                : new SchemaRegistryException(failure);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    /** The subject has no versions yet. */
    static final class UnknownSubjectException extends SchemaRegistryException {
        private static final long serialVersionUID = 1L;

        UnknownSubjectException(String subject, String message) {
            super("unknown subject '" + subject + "': " + message);
        }
    }
}
