package io.groot.schemas.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The embedded registry, served over HTTP, passes the same client contract as Apicurio and Confluent. */
class SchemaRegistryServerTest extends RegistryContract {
    private static SchemaRegistryServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SchemaRegistryServer.start(new InMemorySchemaRegistry(), 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected String baseUrl() {
        return server.url();
    }
}
