package io.groot.ops.status;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster check groot status makes first (LoopMetricsTest reads the status of a running loop). */
class LoopStatusTest {

    @Test
    void aClusterThatIsNotThereDoesNotAnswerAndTheCheckReturnsPromptly() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Properties client = new Properties();
        client.put("bootstrap.servers", "127.0.0.1:" + port);
        long start = System.nanoTime();
        assertFalse(LoopStatus.clusterAnswers(client, Duration.ofSeconds(2)));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 10, "the check gave up after its timeout, not the admin client's: " + seconds + " s");
    }
}
