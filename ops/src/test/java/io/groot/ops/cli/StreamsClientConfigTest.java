package io.groot.ops.cli;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Kafka Streams settings {@code groot streams} builds from its options. */
class StreamsClientConfigTest {

    @Test
    void standbyReplicasComeFromTheOptionOverKafkaSettingsAndOtherwiseFromKafkaStreams() {
        assertEquals(1, standbyReplicas("--standby-replicas", "1"));
        assertEquals(2, standbyReplicas("--kafka", "num.standby.replicas=2"));
        assertEquals(1, standbyReplicas("--kafka", "num.standby.replicas=2", "--standby-replicas", "1"));
        assertEquals(0, standbyReplicas("--kafka", "acks=all"));
    }

    @Test
    void anOptionsDefaultDoesNotOverrideTheKafkaSettingItStandsFor() {
        assertEquals(3, replication("--kafka", "replication.factor=3"));
        assertEquals(2, replication("--kafka", "replication.factor=3", "--replication", "2"));
        assertEquals(1, replication());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> replication("--kafka", "replication.factor=three"));
        assertEquals("--kafka replication.factor takes a whole number, got 'three'", e.getMessage());
    }

    /** What Kafka Streams makes of the settings built from {@code args}. */
    private static int standbyReplicas(String... args) {
        Properties props = StreamsCommand.clientConfig(new Arguments(args, 0));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "config-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        return new StreamsConfig(props).getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG);
    }

    private static int replication(String... args) {
        Arguments a = new Arguments(args, 0);
        return StreamsCommand.streamsSetting(a, "replication", StreamsCommand.clientConfig(a),
                StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    }
}
