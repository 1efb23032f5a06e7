package io.groot.ops.trainer;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.ops.demo.InitialModel;
import io.groot.ops.demo.SampleCorpus;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.groot.OfflineRound;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.StreamingTrainer;
import io.groot.trainer.service.TrainerConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming trainer against a real broker, where its consumer's group membership is at stake. */
class StreamingTrainerTest {
    private static final int MAX_POLL_INTERVAL_MS = 1000;

    @Test
    void aVersionMayTrainForLongerThanTheConsumersMaxPollInterval(@TempDir Path work) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0)) {
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            Topics topics = Topics.withPrefix("st.");
            TopicSetup.ensureTopics(client, topics, 1, (short) 1);
            GrootSerdes serdes = new GrootSerdes(new InMemorySchemaRegistry());
            LocalArtifactStore artifacts = new LocalArtifactStore(work.resolve("artifacts"));
            LabelledCorpus corpus = SampleCorpus.generate(200, 50, 3);
            ModelVersion first = InitialModel.publishIfAbsent(client, topics, serdes, artifacts, "slots", corpus,
                    corpus.train().subList(0, 60), 2, 7, new PrintStream(OutputStream.nullOutputStream()));
            List<ContrastSet> sets;
            try (Labeler labeler = LabelerArtifact.fromBytes(artifacts.get(first.getArtifact()))) {
                sets = OfflineRound.contrastSets(labeler, 1, corpus.train().subList(0, 64), 4,
                        new ContrastSetBuilder(RewardFunction.parse("f0.5"), new Corrector(4)), 32);
            }
            // Versions of 32 sets, trained for enough epochs to outlast the consumer's max.poll.interval.ms: a
            // consumer that does not poll for that long leaves its group, and the offsets committed with the
            // version would be refused.
            Properties trainerClient = new Properties();
            trainerClient.putAll(client);
            trainerClient.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
            TrainerConfig d = TrainerConfig.defaults("slots");
            TrainerConfig config = new TrainerConfig("slots", "st-trainer", 32, Duration.ofMinutes(5), 32, 30, 16,
                    d.learningRate(), d.objective(), Integer.MAX_VALUE, 1.0, d.rewardFunction(), d.maxStaleness(),
                    d.seed());
            try (StreamingTrainer trainer = new StreamingTrainer(trainerClient, topics.trainingBatches(),
                    topics.modelVersions(), serdes, artifacts, config);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client, new StringSerializer(),
                         new ByteArraySerializer())) {
                Thread thread = new Thread(trainer, "st-trainer");
                thread.start();
                for (int version = 0; version < 2; version++) {
                    for (int from = 32 * version; from < 32 * (version + 1); from += 16) {
                        TrainingBatch batch = new TrainingBatch("b" + from, Instant.now(),
                                new ArrayList<>(sets.subList(from, from + 16)));
                        producer.send(new ProducerRecord<>(topics.trainingBatches(), "b" + from,
                                serdes.trainingBatches().serialize(topics.trainingBatches(), batch)));
                    }
                    producer.flush();
                    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    while (trainer.publishedVersions() <= version && thread.isAlive()
                            && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                }
                trainer.close();
                thread.join(30_000);
            }

            List<ModelVersion> versions = ModelVersionLog.readAll(client, topics.modelVersions(),
                    serdes.modelVersions());
            assertEquals(List.of(1L, 2L, 3L), versions.stream().map(ModelVersion::getVersion).toList());
            for (ModelVersion trained : versions.subList(1, 3)) {
                assertTrue(trained.getMetrics().get("train.seconds") * 1000 > MAX_POLL_INTERVAL_MS,
                        "version " + trained.getVersion() + " trained for " + trained.getMetrics().get("train.seconds")
                                + " s, no longer than max.poll.interval.ms: the test shows nothing");
            }
            assertEquals(List.of(2L, 4L), versions.subList(1, 3).stream()
                    .map(v -> v.getTrainedThrough().get(0).getOffset()).toList(),
                    "each version commits the offsets of the batches it consumed");
        }
    }
}
