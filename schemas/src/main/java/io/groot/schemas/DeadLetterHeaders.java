package io.groot.schemas;

import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every dead letter carries, whoever wrote it (streams, connectors), so tools can filter by reason
 * without decoding Avro.
 */
public final class DeadLetterHeaders {
    public static final String REASON = "groot.dlq.reason";
    public static final String ERROR = "groot.dlq.error";
    public static final String SOURCE = "groot.dlq.source";

    private DeadLetterHeaders() {
    }

    /** Header name to value, in a stable order. */
    public static Map<String, String> of(DeadLetter letter) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(REASON, letter.getReason());
        headers.put(ERROR, letter.getError());
        headers.put(SOURCE, letter.getSourceTopic() + "-" + letter.getSourcePartition() + "@"
                + letter.getSourceOffset());
        return headers;
    }

    /** Sets the letter's headers on a Kafka record's headers, replacing any of the same name. */
    public static void annotate(Headers headers, DeadLetter letter) {
        of(letter).forEach((name, value) -> {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        });
    }
}
