package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.streams.LoopConfig;
import io.groot.streams.join.FeedbackPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Property: whatever the order, delays, redeliveries and drops of feedback, on the real broker the books balance
 * exactly (each text and reward has one fate) and each feedback event is trained on exactly once. Each trial is a
 * random scenario from its seed, on fresh topics; one runs two instances of the application sharing partitions.
 */
public class FeedbackOrderPropertyTest {
    static final Duration WINDOW = Duration.ofSeconds(5);
    /** Longer than any scenario's event-time span, so expected fates do not depend on partition interleaving. */
    static final Duration GRACE = Duration.ofSeconds(60);

    private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();
    @TempDir
    static Path work;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    public static LoopConfig config() {
        return new LoopConfig(StreamsLoop.MODEL, 3, 16, WINDOW, GRACE, "f1", 2, 16, Duration.ofMillis(500));
    }

    @ParameterizedTest(name = "seed {0}: {1} requests, {2} partitions, {3} instance(s)")
    @CsvSource({"11, 60, 2, 1", "12, 80, 3, 1", "13, 80, 4, 2"})
    void everyRecordHasOneFateAndNoFeedbackTrainsTwice(long seed, int requests, int partitions, int instances)
            throws Exception {
        String name = "prop" + seed;
        try (StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work.resolve(name), name, partitions,
                config(), REGISTRY)) {
            for (int i = 0; i < instances; i++) {
                loop.startInstance("i" + i);
            }
            FeedbackScenario scenario = FeedbackScenario.random(seed, requests, System.currentTimeMillis(),
                    WINDOW.toMillis(), loop);
            scenario.sendAll(loop);
            scenario.assertAccountedFor(loop);
        }
    }

    @ParameterizedTest(name = "seed {0}: {1}, a second opinion for {2} of the requests")
    @CsvSource({"14, first-wins, 0.3", "15, last-wins, 0.3"})
    void whenARequestGetsTwoOpinionsThePolicyTrainsOneOfThem(long seed, String policyName, double share)
            throws Exception {
        FeedbackPolicy policy = FeedbackPolicy.parse(policyName);
        String name = "opinions" + seed;
        try (StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work.resolve(name), name, 2,
                config().withFeedbackPolicy(policy), REGISTRY)) {
            loop.startInstance("i0");
            FeedbackScenario scenario = FeedbackScenario.random(seed, 60, System.currentTimeMillis(),
                    WINDOW.toMillis(), loop, policy, share);
            scenario.sendAll(loop);
            scenario.assertAccountedFor(loop);
        }
    }
}
