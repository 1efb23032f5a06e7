package io.groot.registry;

import io.groot.schemas.registry.RegistryContract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same contract against Confluent's own Schema Registry and Kafka images. Needs a Docker engine: where there
 * is none (as on the development machines) it is reported as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentRegistryIT extends RegistryContract {
    private static final String VERSION = "7.6.1";
    private static Network network;
    private static ConfluentKafkaContainer kafka;
    private static GenericContainer<?> registry;

    @BeforeAll
    static void start() {
        network = Network.newNetwork();
        kafka = new ConfluentKafkaContainer(DockerImageName.parse("confluentinc/cp-kafka:" + VERSION))
                .withNetwork(network).withNetworkAliases("kafka");
        kafka.start();
        registry = new GenericContainer<>(DockerImageName.parse("confluentinc/cp-schema-registry:" + VERSION))
                .withNetwork(network)
                .withExposedPorts(8081)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:9093")
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
        registry.start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Override
    protected String baseUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
    }
}
