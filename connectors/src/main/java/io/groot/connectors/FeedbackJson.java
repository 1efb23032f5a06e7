package io.groot.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groot.schemas.CandidateReward;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON-lines form of texts and feedback: what the file source reads and what the archive sink writes, so an
 * archive can be replayed through the source unchanged. Fields starting with {@code _} (the archive's Kafka
 * coordinates) are ignored on reading.
 *
 * <pre>
 * {"requestId": "r1", "text": "fly to boston", "tokens": ["fly", "to", "boston"], "eventTime": 1700000000000}
 * {"requestId": "r1", "eventId": "e1", "source": "annotator-3", "referenceLabels": ["O", "O", "B-city"]}
 * {"requestId": "r1", "eventId": "e2", "scalarRewards": [{"rank": 1, "reward": 0.8}]}
 * </pre>
 */
public final class FeedbackJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedbackJson() {
    }

    /** @param defaultTime event time when the line has none */
    public static TextEvent text(String line, long defaultTime) throws IOException {
        JsonNode node = object(line);
        String text = node.path("text").asText(null);
        List<String> tokens = node.has("tokens") ? strings(node.get("tokens"), "tokens")
                : text == null ? null : List.of(text.trim().split("\\s+"));
        if (tokens == null) {
            throw new IOException("a text needs \"text\" or \"tokens\"");
        }
        return TextEvent.newBuilder().setRequestId(required(node, "requestId"))
                .setText(text != null ? text : String.join(" ", tokens)).setTokens(tokens)
                .setEventTime(Instant.ofEpochMilli(node.path("eventTime").asLong(defaultTime))).build();
    }

    /** @param defaultEventId event id when the line has none (a stable one: file and line) */
    public static RewardEvent reward(String line, String defaultEventId, long defaultTime) throws IOException {
        JsonNode node = object(line);
        RewardEvent.Builder event = RewardEvent.newBuilder().setRequestId(required(node, "requestId"))
                .setEventId(node.path("eventId").asText(defaultEventId))
                .setSource(node.path("source").asText("file"))
                .setEventTime(Instant.ofEpochMilli(node.path("eventTime").asLong(defaultTime)));
        if (node.has("referenceLabels")) {
            event.setReferenceLabels(strings(node.get("referenceLabels"), "referenceLabels"));
        }
        if (node.has("scalarRewards")) {
            List<CandidateReward> scalars = new ArrayList<>();
            for (JsonNode scalar : node.get("scalarRewards")) {
                if (!scalar.path("rank").isInt() || !scalar.path("reward").isNumber()) {
                    throw new IOException("scalarRewards entries need an int \"rank\" and a numeric \"reward\"");
                }
                scalars.add(new CandidateReward(scalar.get("rank").asInt(), scalar.get("reward").asDouble()));
            }
            event.setScalarRewards(scalars);
        }
        return event.build();
    }

    public static ObjectNode toJson(TextEvent text) {
        ObjectNode node = JSON.createObjectNode().put("requestId", text.getRequestId()).put("text", text.getText());
        ArrayNode tokens = node.putArray("tokens");
        text.getTokens().forEach(tokens::add);
        return node.put("eventTime", text.getEventTime().toEpochMilli());
    }

    public static ObjectNode toJson(RewardEvent reward) {
        ObjectNode node = JSON.createObjectNode().put("requestId", reward.getRequestId())
                .put("eventId", reward.getEventId()).put("source", reward.getSource())
                .put("eventTime", reward.getEventTime().toEpochMilli());
        if (reward.getReferenceLabels() != null) {
            ArrayNode labels = node.putArray("referenceLabels");
            reward.getReferenceLabels().forEach(labels::add);
        }
        if (reward.getScalarRewards() != null) {
            ArrayNode scalars = node.putArray("scalarRewards");
            reward.getScalarRewards().forEach(s -> scalars.addObject().put("rank", s.getRank())
                    .put("reward", s.getReward()));
        }
        return node;
    }

    /** Adds the archive's coordinates ({@code _topic}, {@code _partition}, {@code _offset}, {@code _timestamp}). */
    public static String line(ObjectNode node, Map<String, Object> coordinates) {
        coordinates.forEach((name, value) -> node.putPOJO("_" + name, value));
        return node.toString();
    }

    /** The archive coordinate {@code _name} of a line, or -1. */
    public static long coordinate(String line, String name) throws IOException {
        return object(line).path("_" + name).asLong(-1);
    }

    private static JsonNode object(String line) throws IOException {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return node;
    }

    private static String required(JsonNode node, String field) throws IOException {
        if (!node.path(field).isTextual() || node.get(field).asText().isEmpty()) {
            throw new IOException("missing \"" + field + "\"");
        }
        return node.get(field).asText();
    }

    private static List<String> strings(JsonNode array, String field) throws IOException {
        if (!array.isArray()) {
            throw new IOException("\"" + field + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new IOException("\"" + field + "\" must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }
}
