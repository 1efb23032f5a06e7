package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.schemas.RewardEvent;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.streams.accounting.Accounting;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop fed and read with kcat (librdkafka's CLI, its default partitioner): texts and rewards in the
 * Confluent wire format produced from files, one record each, then the training batches' keys read back with kcat
 * as a read-committed consumer. {@code ops/bin/install-test-deps} installs Debian's kcat.
 */
class KcatClientTest {
    private static final int REQUESTS = 12;

    private static String kcat(Path work, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat"));
        command.addAll(arguments);
        Path err = Files.createTempFile(work, "kcat", ".err");
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), command + " failed (ops/bin/install-test-deps installs kcat): "
                + Files.readString(err) + out);
        return out;
    }

    @Test
    void kcatProducesTextsAndRewardsAndReadsTheTrainingBatches(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work.resolve("loop"), "kcat", 3,
                     FeedbackOrderPropertyTest.config(), new InMemorySchemaRegistry())) {
            loop.startInstance("i0");
            long now = System.currentTimeMillis();
            Set<String> ids = new TreeSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                String id = "kcat-" + i;
                ids.add(id);
                Path text = Files.write(work.resolve(id + ".text"), loop.text(id, List.of("fly", "to", "boston"), now));
                Path reward = Files.write(work.resolve(id + ".reward"), loop.reward(RewardEvent.newBuilder()
                        .setRequestId(id).setEventId("ev-" + id).setSource("kcat")
                        .setEventTime(Instant.ofEpochMilli(now)).setReferenceLabels(List.of("O", "O", "B-city"))
                        .build()));
                // One file, one record; the key given, the partition left to kcat's partitioner.
                kcat(work, List.of("-P", "-b", broker.bootstrapServers(), "-t", loop.topics.texts(), "-k", id,
                        text.toString()));
                kcat(work, List.of("-P", "-b", broker.bootstrapServers(), "-t", loop.topics.rewards(), "-k", id,
                        reward.toString()));
            }
            // kcat's partitioner (CRC32) must put some where Java's murmur2 would not, or this tests nothing.
            long elsewhere = ids.stream().filter(id -> ForeignPartitionerTest.crc32Partition(id, 3)
                    != Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 3).count();
            assertTrue(elsewhere >= REQUESTS / 3, elsewhere + " of " + REQUESTS);
            loop.awaitAccount("every reward joined and batched", a -> a.get(Accounting.REWARDS_JOINED) == REQUESTS
                    && a.get(Accounting.CONTRAST_SETS_BATCHED) == REQUESTS, Duration.ofSeconds(90));

            // Training batches are keyed by the request id of their first contrast set; the candidates by theirs.
            String candidates = kcat(work, List.of("-C", "-b", broker.bootstrapServers(), "-t",
                    loop.topics.candidates(), "-o", "beginning", "-e", "-q", "-X", "isolation.level=read_committed",
                    "-f", "%k\\n"));
            assertEquals(ids, new TreeSet<>(List.of(candidates.trim().split("\n"))));
            String batches = kcat(work, List.of("-C", "-b", broker.bootstrapServers(), "-t",
                    loop.topics.trainingBatches(), "-o", "beginning", "-e", "-q", "-X",
                    "isolation.level=read_committed", "-f", "%p %S\\n"));
            assertTrue(!batches.isBlank(), "kcat read no training batch");
            assertTrue(loop.deadLetters().isEmpty(), loop.deadLetters().toString());
        }
    }
}
