package io.groot.schemas.registry;

import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How the client tells a registry that cannot answer now (worth asking again) from one that answered no (the
 * record is at fault): callers retry the first and dead-letter the second.
 */
class RestSchemaRegistryFailureTest {

    @Test
    void serverErrorsThrottlingAndAnUnreachableServerAreUnavailabilityAndA404IsAnUnknownSchema() throws Exception {
        assertEquals(SchemaRegistryUnavailableException.class, failureAnswering(503));
        assertEquals(SchemaRegistryUnavailableException.class, failureAnswering(500));
        assertEquals(SchemaRegistryUnavailableException.class, failureAnswering(429));
        assertEquals(UnknownSchemaException.class, failureAnswering(404));
        assertEquals(SchemaRegistryException.class, failureAnswering(401));

        HttpServer closed = answering(503);
        String url = url(closed);
        closed.stop(0);
        assertThrows(SchemaRegistryUnavailableException.class,
                () -> new RestSchemaRegistry(url, Duration.ofSeconds(5)).schemaById(1));
    }

    @Test
    void aRegistryThatFailsTwiceThenAnswersIsAskedThreeTimesAndItsAnswerUsed() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer flaky = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        flaky.createContext("/", exchange -> {
            boolean busy = requests.incrementAndGet() <= 2;
            byte[] body = (busy ? "{\"message\": \"busy\"}" : "{\"schema\": \"\\\"string\\\"\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(busy ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flaky.start();
        try {
            assertEquals(Schema.create(Schema.Type.STRING), new RestSchemaRegistry(url(flaky)).schemaById(7));
            assertEquals(3, requests.get());
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    void aRegistryThatKeepsFailingIsAskedThreeTimesThenUnavailable() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = answering(503, requests);
        try {
            assertThrows(SchemaRegistryUnavailableException.class,
                    () -> new RestSchemaRegistry(url(server)).schemaById(1));
            assertEquals(3, requests.get());
        } finally {
            server.stop(0);
        }
    }

    private static Class<?> failureAnswering(int status) throws IOException {
        HttpServer server = answering(status);
        try {
            return assertThrows(SchemaRegistryException.class,
                    () -> new RestSchemaRegistry(url(server), Duration.ofSeconds(5)).schemaById(1)).getClass();
        } finally {
            server.stop(0);
        }
    }

    private static HttpServer answering(int status) throws IOException {
        return answering(status, new AtomicInteger());
    }

    private static HttpServer answering(int status, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"message\": \"no\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }
}
