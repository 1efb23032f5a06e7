package io.groot.registry;

import io.groot.schemas.registry.RegistryContract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The REST client against the real registry server this module builds (Apicurio 2.4.2, Confluent API). */
class ApicurioRegistryIT extends RegistryContract {
    private static Process server;
    private static String baseUrl;

    @BeforeAll
    static void startServer() throws Exception {
        Path jar = Path.of(System.getProperty("registry.runner.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("registry server not built: " + jar + " (run 'mvn verify')");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("groot-registry-", ".log");
        server = new ProcessBuilder("java", "-Xmx192m", "-XX:+UseSerialGC", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        baseUrl = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
        awaitReady(log);
    }

    private static void awaitReady(Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("registry server exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/subjects"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("registry server not ready in 90 s: " + Files.readString(log));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    @Override
    protected String baseUrl() {
        return baseUrl;
    }
}
