package io.groot.ops.replay;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.connect.ConnectWorker;
import io.groot.ops.demo.ContinuousLearningDemo;
import io.groot.ops.demo.DemoOptions;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.LoopConfig;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.bench.PairedDifference;
import io.groot.trainer.bench.RankedEvaluation;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.InitialVersion;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay against the real loop: version 2 is trained online from streamed feedback; the loop's topics are archived
 * by the archive sink on a Connect worker; replaying the archived feedback logged before version 2 was published,
 * from version 1, through the same correction and training code reproduces its metrics; and an evaluate run scores
 * versions 1 and 2 side by side on that log.
 */
class ReplayTest {
    /** Stated tolerance: online and replayed training see the same contrast sets in the same canonical order. */
    private static final double TOLERANCE = 1e-3;

    @Test
    void replayingTheLoggedFeedbackReproducesTheVersionTrainedOnIt(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0)) {
            DemoOptions d = DemoOptions.defaults();
            // 300 texts: the first 240 train version 2 (all of them at once), the last 60 wait until it serves.
            // Not the default loss: to reproduce version 2, the replay must take the trainer's settings from its
            // record.
            DemoOptions options = new DemoOptions(null, broker.bootstrapServers(), Map.of(), work.resolve("demo"),
                    "rp.", "slots", 240, 80, 300, 3, 300, 240, 1, 2, 4, "f0.5", new GrootObjective(0.2, 0, 1),
                    Duration.ofMillis(1000), 0.1, d.seed());
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
            Map<String, Object> result = new ContinuousLearningDemo(options, registry, System.err).run();
            assertEquals(true, result.get("completed"), result.toString());

            Topics topics = Topics.withPrefix("rp.");
            GrootSerdes serdes = new GrootSerdes(registry);
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            List<ModelVersion> versions = ModelVersionLog.readAll(client, topics.modelVersions(),
                    serdes.modelVersions());
            ModelVersion v1 = versions.get(0);
            ModelVersion v2 = versions.get(1);
            assertEquals(2, v2.getVersion());

            // Archive the loop's texts and feedback with the archive sink on a real Connect worker, then replay the
            // archive: the feedback logged before version 2 was published.
            Path archive = work.resolve("archive");
            try (SchemaRegistryServer registryServer = SchemaRegistryServer.start(registry, 0);
                 ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), work.resolve("offsets"))) {
                worker.addConnector("archive", Map.of("connector.class", "io.groot.connectors.ArchiveSinkConnector",
                        "topics", topics.texts() + "," + topics.rewards(), "directory", archive.toString(),
                        "schema.registry.url", registryServer.url()));
                awaitArchived(archive, topics, client);
            }
            long published = v2.getCreatedAt().toEpochMilli();
            FeedbackLog log = FeedbackLog.fromArchive(archive, topics, 0, published);
            assertEquals(240, log.entries().size(), "the feedback version 2 could have been trained on");
            assertTrue(log.duplicates() > 0, "redeliveries in the log are dropped");
            assertEquals(FeedbackLog.fromTopics(client, topics, serdes, 0, published), log,
                    "the archive holds what the topics hold");

            LocalArtifactStore artifacts = new LocalArtifactStore(work.resolve("demo").resolve("artifacts"));
            LoopConfig loop = ContinuousLearningDemo.loopConfig(options);
            // The settings version 2's record kept are the demo trainer's: a replay needs no flags to reproduce it.
            TrainerConfig trainer = Replay.trainerOf(v2, TrainerConfig.defaults("slots"));
            assertEquals(ContinuousLearningDemo.trainerConfig(options, 300).trainingSettings(),
                    trainer.trainingSettings());
            assertEquals(trainer.trainingSettings(), v2.getTrainingSettings());
            assertEquals(InitialVersion.trainingSettings(options.initialEpochs(), (int) options.seed()),
                    v1.getTrainingSettings(), "version 1 keeps how it was trained too");
            ContrastSetBuilder builder = new ContrastSetBuilder(RewardFunction.parse(loop.rewardFunction()),
                    new Corrector(loop.maxCorrections()));
            Map<String, Double> first = replay(artifacts, v1, log, loop, builder, trainer);
            Map<String, Double> second = replay(artifacts, v1, log, loop, builder, trainer);
            assertEquals(first, second, "same log, seed and config: the same metrics");

            System.err.println("online v2 " + v2.getMetrics() + "\nreplayed  " + first);
            for (String metric : List.of("train.examples", "gate.examples", "gate.f0.5@1", "gate.serving.f0.5@1",
                    "train.loss")) {
                assertEquals(v2.getMetrics().get(metric), first.get(metric), TOLERANCE,
                        metric + ": online " + v2.getMetrics() + " vs replayed " + first);
            }
            TrainerConfig defaultLoss = trainer.withTraining(trainer.epochs(), trainer.learningRate(),
                    GrootObjective.defaults(), trainer.seed());
            double otherLoss = replay(artifacts, v1, log, loop, builder, defaultLoss).get("train.loss");
            assertTrue(Math.abs(otherLoss - v2.getMetrics().get("train.loss")) > 100 * TOLERANCE,
                    "the online trainer used the demo's loss settings: with the default ones the loss is "
                            + otherLoss + ", online " + v2.getMetrics().get("train.loss"));

            RewardFunction f05 = RewardFunction.parse("f0.5");
            try (Labeler one = load(artifacts, v1); Labeler two = load(artifacts, v2)) {
                RankedEvaluation before = Replay.evaluate(one, log, 4, f05);
                RankedEvaluation after = Replay.evaluate(two, log, 4, f05);
                Map<String, RankedEvaluation> inOrder = new LinkedHashMap<>();
                inOrder.put("v1", before);
                inOrder.put("v2", after);
                System.err.print(ReplayTable.render(inOrder));
                assertTrue(after.rewardAtRank()[0] > before.rewardAtRank()[0],
                        "version 2 learnt from this feedback: " + after.rewardAtRank()[0] + " vs "
                                + before.rewardAtRank()[0]);
                PairedDifference gain = ReplayTable.differences(inOrder).get("v2 - v1").get("rewardAtOne");
                assertEquals(after.rewardAtRank()[0] - before.rewardAtRank()[0], gain.mean(), 1e-9);
                assertTrue(gain.low() > 0, "and beyond what resampling the log's sentences explains: " + gain);
            }
        }
    }

    /** Until the archive has as many lines as the topics have records (the loop is stopped: nothing new comes). */
    private static void awaitArchived(Path archive, Topics topics, Properties client) throws Exception {
        long expected = 0;
        for (String topic : List.of(topics.texts(), topics.rewards())) {
            expected += TopicReader.readCommitted(client, topic, (t, bytes) -> bytes).size();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long archived = 0;
        while (archived < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("archived " + archived + " of " + expected + " records");
            }
            Thread.sleep(200);
            archived = 0;
            for (String topic : List.of(topics.texts(), topics.rewards())) {
                Path dir = archive.resolve(topic);
                if (Files.isDirectory(dir)) {
                    try (var files = Files.list(dir)) {
                        for (Path file : files.toList()) {
                            archived += Files.readAllLines(file).size();
                        }
                    }
                }
            }
        }
    }

    private static Map<String, Double> replay(LocalArtifactStore artifacts, ModelVersion base, FeedbackLog log,
                                              LoopConfig loop, ContrastSetBuilder builder, TrainerConfig trainer)
            throws Exception {
        try (Labeler labeler = load(artifacts, base)) {
            Replay.Retrained retrained = Replay.retrain(labeler, "slots", base.getVersion(), log, loop.beamWidth(),
                    builder, trainer);
            Map<String, Double> metrics = new TreeMap<>(retrained.outcome().metrics());
            metrics.remove("train.seconds");
            return metrics;
        }
    }

    private static Labeler load(LocalArtifactStore artifacts, ModelVersion version) throws Exception {
        return LabelerArtifact.fromBytes(artifacts.get(version.getArtifact()));
    }
}
