package io.groot.ops;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.demo.ContinuousLearningDemo;
import io.groot.ops.demo.DemoOptions;
import io.groot.ops.demo.Evaluation;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastMember;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.Origin;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole loop on a real embedded broker: texts -> candidates (DJL beam search) -> join with delayed,
 * out-of-order, duplicated feedback -> GROOT contrast sets -> trainer -> new versions -> hot swap. Every
 * assertion reads what reached the topics, so bypassing any stage fails it.
 */
class LoopEndToEndTest {
    private static final int TEXTS = 500;

    @Test
    void feedbackTrainsNewVersionsThatServeLaterTexts(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0)) {
            DemoOptions d = DemoOptions.defaults();
            DemoOptions options = new DemoOptions(null, broker.bootstrapServers(), Map.of(), work.resolve("demo"),
                    "e2e.", "slots", 240, 60, 300, 3, TEXTS, 100, 2, 2, 4, "f0.5", d.objective(),
                    Duration.ofMillis(1500), 0.1, d.seed());
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
            Map<String, Object> result = new ContinuousLearningDemo(options, registry, System.err).run();
            assertEquals(true, result.get("completed"), "demo reached its goal in time: " + result);

            Topics topics = Topics.withPrefix("e2e.");
            GrootSerdes serdes = new GrootSerdes(registry);
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());

            List<ModelVersion> versions = TopicReader.readCommitted(client, topics.modelVersions(), serdes.modelVersions().deserializer());
            List<CandidateSet> candidates = TopicReader.readCommitted(client, topics.candidates(), serdes.candidates().deserializer());
            List<TrainingBatch> batches = TopicReader.readCommitted(client, topics.trainingBatches(),
                    serdes.trainingBatches().deserializer());

            // Stage 1: every text got model candidates, stamped with the version that generated them.
            assertEquals(TEXTS, candidates.stream().map(CandidateSet::getRequestId).distinct().count());
            assertTrue(candidates.stream().allMatch(c -> c.getCandidates().size() == 4 && c.getModelVersion() >= 1));
            assertTrue(candidates.stream().allMatch(c -> c.getCandidates().get(0).getLogProb()
                    >= c.getCandidates().get(3).getLogProb()), "ranked by sequence log-probability");

            // Stage 2: feedback joined into GROOT contrast sets, each request once despite duplicate deliveries.
            List<ContrastSet> sets = batches.stream().flatMap(b -> b.getContrastSets().stream()).toList();
            assertEquals(TEXTS, sets.size(), "every feedback joined exactly once");
            assertEquals(TEXTS, sets.stream().map(ContrastSet::getRequestId).distinct().count());
            Map<Origin, Long> origins = sets.stream().flatMap(s -> s.getMembers().stream())
                    .collect(Collectors.groupingBy(ContrastMember::getOrigin, Collectors.counting()));
            assertTrue(origins.getOrDefault(Origin.MODEL, 0L) >= TEXTS, "model candidates in contrast sets");
            assertTrue(sets.stream().allMatch(s -> s.getTextSource() != null && "f0.5".equals(s.getRewardFunction())));

            // Stage 3: the trainer published versions trained on those batches, with lineage.
            ModelVersion first = versions.get(0);
            assertEquals(1, first.getVersion());
            List<ModelVersion> trained = versions.stream().filter(v -> v.getParentVersion() != null).toList();
            assertTrue(trained.size() >= 2, "at least two versions trained on feedback: " + versions);
            ModelVersion second = trained.get(0);
            assertEquals(2, second.getVersion());
            assertEquals(1L, second.getParentVersion());
            assertFalse(second.getTrainedThrough().isEmpty());
            assertTrue(second.getTrainingExamples() > 0);
            assertTrue(second.getTrainedThrough().stream().mapToLong(o -> o.getOffset()).sum() > 0);

            // The artifact is content-addressed and really trained: its weights differ from version 1's.
            LocalArtifactStore store = new LocalArtifactStore(work.resolve("demo").resolve("artifacts"));
            try (Labeler v1 = LabelerArtifact.fromBytes(store.get(first.getArtifact()));
                 Labeler v2 = LabelerArtifact.fromBytes(store.get(second.getArtifact()))) {
                List<String> tokens = candidates.get(0).getTokens();
                assertNotEquals(v1.topK(List.of(tokens), 4).get(0).get(0).logProb(),
                        v2.topK(List.of(tokens), 4).get(0).get(0).logProb());
            }
            assertNotEquals(first.getArtifact().getSha256(), second.getArtifact().getSha256());

            // Stage 4: hot swap without restart: texts processed after a promotion carry the new version.
            ModelVersion promoted = trained.stream().filter(v -> v.getStatus() == PromotionStatus.PROMOTED)
                    .findFirst().orElseThrow();
            List<CandidateSet> later = candidates.stream()
                    .filter(c -> c.getModelVersion() >= promoted.getVersion()).toList();
            assertFalse(later.isEmpty(), "candidates produced by version >= " + promoted.getVersion());
            assertTrue(later.stream().allMatch(c -> !c.getGeneratedAt().isBefore(promoted.getCreatedAt())),
                    "a version serves only after it was published");
            @SuppressWarnings("unchecked")
            Map<String, Object> evaluation = (Map<String, Object>) result.get("evaluation");
            assertNotNull(evaluation);
            assertTrue(evaluation.entrySet().stream().filter(e -> e.getKey().startsWith("v"))
                            .allMatch(e -> ((Map<?, ?>) e.getValue()).get(Evaluation.SPAN_F1_AT_ONE) instanceof Double),
                    "each version evaluated reports corpus span F1: " + evaluation);
        }
    }
}
