package io.groot.ops.broker;

import io.groot.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Creates the loop's topics if they are missing. Texts, candidates and rewards share one partition count:
 * they are joined by request id, so they must be co-partitioned. Model versions are compacted per model name.
 */
public final class TopicSetup {
    private TopicSetup() {
    }

    public static void ensureTopics(Properties clientConfig, Topics topics, int partitions, short replication) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(topics.texts(), topics.candidates(), topics.rewards(), topics.deadLetters(),
                topics.trainingBatches())) {
            wanted.add(new NewTopic(name, partitions, replication));
        }
        wanted.add(new NewTopic(topics.modelVersions(), 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try (Admin admin = Admin.create(clientConfig)) {
            for (NewTopic topic : wanted) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        }
    }
}
