package io.groot.ops.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A Prometheus scrape endpoint ({@code GET /metrics}) over a Micrometer registry. */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
        registry.config().meterFilter(new StateStoreTags())
                .onMeterRegistrationFailed((id, reason) -> refused.add(id.getName() + " " + id.getTags() + ": "
                        + reason));
    }

    /** @param host the interface to listen on (127.0.0.1 unless it must be scraped from elsewhere) */
    public static MetricsEndpoint start(String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        MetricsEndpoint endpoint = new MetricsEndpoint(server);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                byte[] body = endpoint.registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "groot-metrics-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return endpoint;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The meters the registry refused, with why: Prometheus wants one set of tag keys per meter name, and a meter
     * refused is missing from every scrape (Micrometer logs only the first).
     */
    public List<String> refusedMeters() {
        return List.copyOf(refused);
    }

    /** Closes {@code binder} (its threads, its meters) with the endpoint. */
    public <T extends AutoCloseable> T closing(T binder) {
        binders.add(binder);
        return binder;
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        server.stop(0);
        registry.close();
    }
}
