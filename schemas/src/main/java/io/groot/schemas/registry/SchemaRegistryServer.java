package io.groot.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a {@link SchemaRegistry} over the Confluent REST API, so that other processes (a second streams instance,
 * {@code groot status}, a Python or kcat producer) share the ids of an embedded registry: registration, schemas by
 * id, compatibility checks and settings, and for a {@link BrowsableSchemaRegistry} the read side that serializers,
 * kcat and the Confluent CLI call ({@code GET /subjects}, {@code /subjects/{s}/versions[/{v}|/latest[/schema]]},
 * {@code POST /subjects/{s}} lookups, {@code GET /config[/{s}]}, {@code GET /schemas/types}). It listens on loopback
 * only: it is the embedded default's companion, not a replacement for a real registry.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final Pattern CONFIG = Pattern.compile("/config/([^/]+)");
    private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");
    private static final Pattern SUBJECTS = Pattern.compile("/subjects/?");
    private static final Pattern VERSIONS = Pattern.compile("/subjects/([^/]+)/versions/?");
    private static final Pattern VERSION = Pattern.compile("/subjects/([^/]+)/versions/(latest|-1|\\d+)(/schema)?");
    private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)/?");
    private static final Pattern GLOBAL_CONFIG = Pattern.compile("/config/?");
    private static final Pattern TYPES = Pattern.compile("/schemas/types/?");

    private final SchemaRegistry registry;
    private final HttpServer server;

    private SchemaRegistryServer(SchemaRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** @param port 0 for any free port */
    public static SchemaRegistryServer start(SchemaRegistry registry, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        SchemaRegistryServer registryServer = new SchemaRegistryServer(registry, server);
        server.createContext("/", registryServer::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return registryServer;
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            try {
                if (method.equals("POST") && (m = REGISTER.matcher(path)).matches()) {
                    int id = registry.register(decode(m.group(1)), schemaIn(exchange));
                    respond(exchange, 200, JSON.createObjectNode().put("id", id));
                } else if (method.equals("GET") && (m = SCHEMA_BY_ID.matcher(path)).matches()) {
                    Schema schema = registry.schemaById(Integer.parseInt(m.group(1)));
                    respond(exchange, 200, JSON.createObjectNode().put("schema", schema.toString()));
                } else if (method.equals("PUT") && (m = CONFIG.matcher(path)).matches()) {
                    String level = body(exchange).path("compatibility").asText();
                    registry.setCompatibility(decode(m.group(1)), CompatibilityLevel.valueOf(level));
                    respond(exchange, 200, JSON.createObjectNode().put("compatibility", level));
                } else if (method.equals("POST") && (m = COMPATIBILITY.matcher(path)).matches()) {
                    boolean compatible = registry.isCompatible(decode(m.group(1)), schemaIn(exchange));
                    respond(exchange, 200, JSON.createObjectNode().put("is_compatible", compatible));
                } else if (method.equals("GET") && TYPES.matcher(path).matches()) {
                    respond(exchange, 200, JSON.createArrayNode().add("AVRO"));
                } else if (method.equals("GET") && path.equals("/")) {
                    respond(exchange, 200, JSON.createObjectNode());
                } else if (registry instanceof BrowsableSchemaRegistry browsable && browse(exchange, method, path,
                        browsable)) {
                    return;
                } else {
                    respond(exchange, 404, error(404, "no such endpoint: " + method + " " + path));
                }
            } catch (BrowsableSchemaRegistry.UnknownSubjectException e) {
                respond(exchange, 404, error(40401, e.getMessage()));
            } catch (BrowsableSchemaRegistry.UnknownVersionException e) {
                respond(exchange, 404, error(40402, e.getMessage()));
            } catch (IncompatibleSchemaException e) {
                respond(exchange, 409, error(409, e.getMessage()));
            } catch (UnknownSchemaException e) {
                respond(exchange, 404, error(40403, e.getMessage()));
            } catch (RuntimeException e) {
                respond(exchange, 422, error(42201, e.toString()));
            }
        }
    }

    /** The read side of the API; false if no endpoint of it matches. */
    private static boolean browse(HttpExchange exchange, String method, String path, BrowsableSchemaRegistry registry)
            throws IOException {
        Matcher m;
        if (method.equals("GET") && SUBJECTS.matcher(path).matches()) {
            ArrayNode subjects = JSON.createArrayNode();
            registry.subjects().forEach(subjects::add);
            respond(exchange, 200, subjects);
        } else if (method.equals("GET") && (m = VERSIONS.matcher(path)).matches()) {
            ArrayNode versions = JSON.createArrayNode();
            registry.versions(decode(m.group(1))).forEach(versions::add);
            respond(exchange, 200, versions);
        } else if (method.equals("GET") && (m = VERSION.matcher(path)).matches()) {
            String v = m.group(2);
            BrowsableSchemaRegistry.SubjectVersion version = registry.version(decode(m.group(1)),
                    v.equals("latest") ? BrowsableSchemaRegistry.LATEST : Integer.parseInt(v));
            respond(exchange, 200, m.group(3) != null ? JSON.readTree(version.schema().toString()) : describe(version));
        } else if (method.equals("POST") && (m = LOOKUP.matcher(path)).matches()) {
            String subject = decode(m.group(1));
            registry.versions(subject);  // an unknown subject is 40401, as in Confluent's registry
            var found = registry.lookup(subject, schemaIn(exchange));
            if (found.isPresent()) {
                respond(exchange, 200, describe(found.get()));
            } else {
                respond(exchange, 404, error(40403, "schema not found under subject '" + subject + "'"));
            }
        } else if (method.equals("GET") && GLOBAL_CONFIG.matcher(path).matches()) {
            respond(exchange, 200, JSON.createObjectNode().put("compatibilityLevel",
                    registry.compatibility(null).name()));
        } else if (method.equals("GET") && (m = CONFIG.matcher(path)).matches()) {
            respond(exchange, 200, JSON.createObjectNode().put("compatibilityLevel",
                    registry.compatibility(decode(m.group(1))).name()));
        } else {
            return false;
        }
        return true;
    }

    private static ObjectNode describe(BrowsableSchemaRegistry.SubjectVersion version) {
        return JSON.createObjectNode().put("subject", version.subject()).put("version", version.version())
                .put("id", version.id()).put("schema", version.schema().toString());
    }

    private static Schema schemaIn(HttpExchange exchange) throws IOException {
        return new Schema.Parser().parse(body(exchange).path("schema").asText());
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        return JSON.readTree(exchange.getRequestBody());
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
