package io.groot.ops.cli;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.ops.demo.InitialModel;
import io.groot.ops.demo.SampleCorpus;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistryServer;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.VersionPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code groot rollback} against a real broker and registry server: it checks the artifact, then pins. */
class RollbackCommandTest {

    @Test
    void pinsServingToAnEarlierVersionAndRefusesACorruptArtifact(@TempDir Path work) throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0);
             SchemaRegistryServer server = SchemaRegistryServer.start(registry, 0)) {
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            Topics topics = Topics.withPrefix("groot.");
            TopicSetup.ensureTopics(client, topics, 1, (short) 1);
            GrootSerdes serdes = new GrootSerdes(registry);
            LocalArtifactStore artifacts = new LocalArtifactStore(work.resolve("artifacts"));
            LabelledCorpus corpus = SampleCorpus.generate(100, 20, 3);
            ModelVersion first = InitialModel.publishIfAbsent(client, topics, serdes, artifacts, "slots", corpus,
                    corpus.train().subList(0, 30), io.groot.trainer.model.LabelerConfig.defaults(), 1, 7, new PrintStream(OutputStream.nullOutputStream()));
            // A version 2 that serves (its weights do not matter here).
            try (VersionPublisher publisher = new VersionPublisher(client, "test-v2", artifacts,
                    topics.modelVersions(), serdes.modelVersions())) {
                publisher.publish(ModelVersion.newBuilder(first).setVersion(2).setParentVersion(1L)
                        .setCreatedAt(Instant.now()).setServingVersion(2).build(), Map.of(), null);
            }
            String[] rollback = {"--bootstrap-servers", broker.bootstrapServers(), "--schema-registry", server.url(),
                    "--artifacts", work.resolve("artifacts").toString(), "--to-version", "1", "--reason", "test"};

            Path artifact = Path.of(URI.create(first.getArtifact().getUri()));
            byte[] good = Files.readAllBytes(artifact);
            byte[] corrupt = good.clone();
            corrupt[corrupt.length / 2] ^= 1;
            Files.write(artifact, corrupt);
            assertThrows(Exception.class, () -> ServiceCommands.rollback(new Arguments(rollback, 0)));
            assertEquals(2, versions(client, topics, serdes).size(), "nothing published for a corrupt artifact");

            Files.write(artifact, good);
            ServiceCommands.rollback(new Arguments(rollback, 0));
            List<ModelVersion> versions = versions(client, topics, serdes);
            ModelVersion pin = versions.get(versions.size() - 1);
            assertEquals(3L, pin.getVersion());
            assertEquals(PromotionStatus.ROLLED_BACK_TO, pin.getStatus());
            assertEquals(1L, pin.getServingVersion());
            assertEquals(first.getArtifact(), pin.getServingArtifact());
        }
    }

    private static List<ModelVersion> versions(Properties client, Topics topics, GrootSerdes serdes) {
        return ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions());
    }
}
