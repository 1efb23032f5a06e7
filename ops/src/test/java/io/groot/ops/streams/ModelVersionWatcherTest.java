package io.groot.ops.streams;

import io.groot.ops.broker.EmbeddedKafkaBroker;
import io.groot.ops.broker.TopicSetup;
import io.groot.ops.demo.InitialModel;
import io.groot.ops.demo.SampleCorpus;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.CompatibilityLevel;
import io.groot.schemas.registry.InMemorySchemaRegistry;
import io.groot.schemas.registry.SchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.serving.ModelVersionWatcher;
import io.groot.streams.serving.ServingModel;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.data.LabelledCorpus;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The serving side's watcher of model versions against a real broker, through an outage of the registry. */
class ModelVersionWatcherTest {

    @Test
    void aRegistryOutageWhileReadingVersionsDelaysTheSwapInsteadOfEndingTheWatcher(@TempDir Path work)
            throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), false, 0)) {
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            Topics topics = Topics.withPrefix("mw.");
            TopicSetup.ensureTopics(client, topics, 1, (short) 1);
            LocalArtifactStore artifacts = new LocalArtifactStore(work.resolve("artifacts"));
            LabelledCorpus corpus = SampleCorpus.generate(100, 20, 3);
            InitialModel.publishIfAbsent(client, topics, new GrootSerdes(registry), artifacts, "slots", corpus,
                    corpus.train().subList(0, 30), io.groot.trainer.model.LabelerConfig.defaults(), 1, 7, new PrintStream(OutputStream.nullOutputStream()));

            DownAtFirst flaky = new DownAtFirst(registry, 2);
            try (ServingModel serving = new ServingModel();
                 ModelVersionWatcher watcher = new ModelVersionWatcher(client, topics.modelVersions(), "slots",
                         new GrootSerdes(flaky).modelVersions(), artifacts, serving)) {
                new Thread(watcher, "mw-watcher").start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (serving.version().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(1L, serving.version().orElse(-1), "version 1 serves once the registry answers");
                assertEquals(2, watcher.readFailures(), "each failed read is counted, then read again");
            }
        }
    }

    /** A registry whose first {@code outages} look-ups by id fail as an unreachable server's would. */
    private static final class DownAtFirst implements SchemaRegistry {
        private final SchemaRegistry registry;
        private final AtomicInteger outages;

        DownAtFirst(SchemaRegistry registry, int outages) {
            this.registry = registry;
            this.outages = new AtomicInteger(outages);
        }

        @Override
        public Schema schemaById(int id) {
            if (outages.getAndDecrement() > 0) {
                throw new UncheckedIOException(new ConnectException("schema registry unreachable"));
            }
            return registry.schemaById(id);
        }

        @Override
        public int register(String subject, Schema schema) {
            return registry.register(subject, schema);
        }

        @Override
        public void setCompatibility(String subject, CompatibilityLevel level) {
            registry.setCompatibility(subject, level);
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return registry.isCompatible(subject, schema);
        }
    }
}
