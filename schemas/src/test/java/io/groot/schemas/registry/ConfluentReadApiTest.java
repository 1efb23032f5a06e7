package io.groot.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;
import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read side of the Confluent REST API on the embedded registry, as confluent-kafka's serializers, kcat and the
 * Confluent CLI call it, over real HTTP; and every topic's value schema registered up front for such producers.
 */
class ConfluentReadApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Answer(int status, JsonNode body) {
    }

    private static Answer call(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    @Test
    void subjectsVersionsLookupsAndConfigAreAnswered() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Topics topics = Topics.defaults();
        Map<String, Integer> ids = new GrootSerdes(registry).registerValueSchemas(topics);
        try (SchemaRegistryServer server = SchemaRegistryServer.start(registry, 0)) {
            String base = server.url();
            String texts = "groot.texts-value";

            Answer subjects = call(base, "GET", "/subjects", null);
            assertEquals(200, subjects.status());
            assertEquals(6, subjects.body().size(), subjects.body().toString());
            assertTrue(subjects.body().toString().contains("\"groot.rewards-value\""), subjects.body().toString());

            assertEquals("[1]", call(base, "GET", "/subjects/" + texts + "/versions", null).body().toString());
            for (String version : new String[]{"1", "latest", "-1"}) {
                JsonNode latest = call(base, "GET", "/subjects/" + texts + "/versions/" + version, null).body();
                assertEquals(texts, latest.path("subject").asText());
                assertEquals(1, latest.path("version").asInt());
                assertEquals((int) ids.get(texts), latest.path("id").asInt());
                assertEquals(TextEvent.getClassSchema(), new Schema.Parser().parse(latest.path("schema").asText()));
            }
            JsonNode raw = call(base, "GET", "/subjects/" + texts + "/versions/latest/schema", null).body();
            assertEquals(TextEvent.getClassSchema(), new Schema.Parser().parse(raw.toString()));

            // A serializer with auto.register.schemas=false looks its schema up.
            Answer found = call(base, "POST", "/subjects/" + texts, schemaBody(TextEvent.getClassSchema()));
            assertEquals(200, found.status());
            assertEquals((int) ids.get(texts), found.body().path("id").asInt());
            Answer other = call(base, "POST", "/subjects/" + texts, schemaBody(RewardEvent.getClassSchema()));
            assertEquals(404, other.status());
            assertEquals(40403, other.body().path("error_code").asInt());
            Answer noSubject = call(base, "POST", "/subjects/nope-value", schemaBody(TextEvent.getClassSchema()));
            assertEquals(40401, noSubject.body().path("error_code").asInt());
            assertEquals(40401, call(base, "GET", "/subjects/nope-value/versions", null).body()
                    .path("error_code").asInt());
            assertEquals(40402, call(base, "GET", "/subjects/" + texts + "/versions/2", null).body()
                    .path("error_code").asInt());

            assertEquals("BACKWARD", call(base, "GET", "/config", null).body().path("compatibilityLevel").asText());
            call(base, "PUT", "/config/" + texts, "{\"compatibility\":\"FULL\"}");
            assertEquals("FULL", call(base, "GET", "/config/" + texts, null).body().path("compatibilityLevel")
                    .asText());
            assertEquals("[\"AVRO\"]", call(base, "GET", "/schemas/types", null).body().toString());
            assertEquals(TextEvent.getClassSchema().toString(), call(base, "GET", "/schemas/ids/" + ids.get(texts),
                    null).body().path("schema").asText());
        }
    }

    @Test
    void registeringTheValueSchemasAgainKeepsTheirIds() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        GrootSerdes serdes = new GrootSerdes(registry);
        Map<String, Integer> first = serdes.registerValueSchemas(Topics.defaults());
        assertEquals(first, serdes.registerValueSchemas(Topics.defaults()));
        assertEquals(first.get("groot.rewards-value"),
                registry.lookup("groot.rewards-value", RewardEvent.getClassSchema()).orElseThrow().id());
    }
}
