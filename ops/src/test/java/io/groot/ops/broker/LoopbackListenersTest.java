package io.groot.ops.broker;

import io.groot.ops.metrics.MetricsEndpoint;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded broker (client and controller listeners), the schema registry and the metrics endpoint listen on
 * 127.0.0.1 only, as the demo and dev-cluster start them: every listening socket this JVM holds is checked in the
 * kernel's tables (/proc/net/tcp and tcp6), matched to this process by its socket inodes.
 */
class LoopbackListenersTest {
    private static final String LISTEN = "0A";
    private static final String IPV4_LOOPBACK = "0100007F";

    @Test
    void everyListeningSocketOfTheEmbeddedServicesIsOnLoopback() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             SchemaRegistryServer registry = SchemaRegistryServer.start(new InMemorySchemaRegistry(), 0);
             MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", 0)) {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            List<String> listening = listeningSockets();
            // broker, controller, registry, metrics at least
            assertTrue(listening.size() >= 4, "listening sockets of this JVM: " + listening);
            for (String address : listening) {
                assertTrue(address.startsWith(IPV4_LOOPBACK + ":"), "listens beyond loopback: " + address
                        + " (all: " + listening + ")");
            }
        }
    }

    /** Local addresses (hex, as the kernel prints them) of the TCP sockets this process has in LISTEN. */
    private static List<String> listeningSockets() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        }
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path).subList(1, Files.readAllLines(path).size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                    addresses.add(normalise(fields[1]));
                }
            }
        }
        return addresses;
    }

    /** An IPv4-mapped IPv6 loopback (::ffff:127.0.0.1) reads as IPv4 loopback; any other IPv6 address stays. */
    private static String normalise(String address) {
        String[] parts = address.split(":");
        String host = parts[0];
        if (host.length() == 32 && host.startsWith("0000000000000000FFFF0000")) {
            host = host.substring(24);
        }
        return host + ":" + parts[1];
    }
}
