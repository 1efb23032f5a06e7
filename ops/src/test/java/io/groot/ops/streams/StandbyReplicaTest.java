package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.streams.GrootStreamsApp;
import io.groot.streams.accounting.Accounting;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two instances, one of which leaves mid-stream: with a standby replica (num.standby.replicas=1, as the deployment
 * assets set it) the survivor takes the leaver's tasks over from state it kept warm instead of restoring them from
 * the changelogs, and every record still has exactly one fate.
 */
class StandbyReplicaTest {

    @Test
    void theSurvivorTakesOverFromItsStandbyReplicasAndRestoresLessThanWithout(@TempDir Path work) throws Exception {
        long withoutStandby = restoredOnTakeover(work.resolve("none"), "nostandby", 0);
        long withStandby = restoredOnTakeover(work.resolve("one"), "standby", 1);
        System.err.println("records restored by the survivor on takeover: " + withoutStandby + " without a standby"
                + " replica, " + withStandby + " with one");
        assertTrue(withoutStandby > 0, "without a standby the survivor restores the leaver's state");
        assertTrue(withStandby * 4 < withoutStandby, "with a standby it restores at most a quarter of that: "
                + withStandby + " against " + withoutStandby);
    }

    /** Runs the scenario with {@code standbys} replicas; returns the records the survivor restored on takeover. */
    private static long restoredOnTakeover(Path work, String name, int standbys) throws Exception {
        Properties settings = new Properties();
        settings.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbys);
        AtomicLong restored = new AtomicLong();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             StreamsLoop loop = new StreamsLoop(broker.bootstrapServers(), work, name, 2,
                     FeedbackOrderPropertyTest.config(), new InMemorySchemaRegistry())) {
            GrootStreamsApp leaver = loop.startInstance("leaver", settings, null);
            GrootStreamsApp survivor = loop.startInstance("survivor", settings, counting(restored));
            awaitTasks(leaver, survivor, standbys);
            FeedbackScenario scenario = FeedbackScenario.random(31, 80, System.currentTimeMillis(),
                    FeedbackOrderPropertyTest.WINDOW.toMillis(), loop);
            int part = scenario.sends.size() * 2 / 3;
            scenario.sendRange(loop, 0, part);
            loop.awaitAccount("the first part read", a -> a.get(Accounting.CANDIDATES_RECEIVED)
                    + a.get(Accounting.REWARDS_RECEIVED) >= part - 10, Duration.ofSeconds(90));
            Thread.sleep(2_000); // the standbys read the changelogs' last commits
            restored.set(0);

            loop.stopInstance(leaver);
            scenario.sendRange(loop, part, scenario.sends.size());
            scenario.assertAccountedFor(loop);
            return restored.get();
        }
    }

    /** Both instances hold active tasks, and standby tasks if asked for (the second one's join rebalances). */
    private static void awaitTasks(GrootStreamsApp first, GrootStreamsApp second, int standbys)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (tasks(first, false) > 0 && tasks(second, false) > 0
                    && (standbys == 0 || tasks(first, true) > 0 && tasks(second, true) > 0)) {
                return;
            }
            Thread.sleep(200);
        }
        fail("tasks not spread over both instances: active " + tasks(first, false) + "/" + tasks(second, false)
                + ", standby " + tasks(first, true) + "/" + tasks(second, true));
    }

    private static int tasks(GrootStreamsApp app, boolean standby) {
        return app.streams().metadataForLocalThreads().stream()
                .mapToInt(t -> standby ? t.standbyTasks().size() : t.activeTasks().size()).sum();
    }

    private static StateRestoreListener counting(AtomicLong restored) {
        return new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long records) {
                restored.addAndGet(records);
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long total) {
            }
        };
    }
}
