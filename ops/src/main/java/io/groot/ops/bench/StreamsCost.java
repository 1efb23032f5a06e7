package io.groot.ops.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * What a Kafka Streams application running in this JVM costs, for comparing two of them on the same records: the CPU
 * time of its threads and the bytes its state stores wrote to their changelog topics.
 */
final class StreamsCost {
    /** How often the threads of an application are looked up again: stream threads start their clients lazily. */
    private static final long REFRESH_NANOS = 500_000_000L;

    private StreamsCost() {
    }

    /**
     * CPU nanoseconds used so far by the threads of {@code applicationId}: its stream threads, and its clients'
     * network and heartbeat threads, all of which Kafka names after the client id, which starts with the application
     * id. Cheap enough to read every few milliseconds (the thread list is refreshed twice a second).
     */
    static LongSupplier threadCpuNanos(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> ids = new ArrayList<>();
        long[] lookedUpAt = {System.nanoTime() - 2 * REFRESH_NANOS};
        return () -> {
            if (System.nanoTime() - lookedUpAt[0] > REFRESH_NANOS) {
                lookedUpAt[0] = System.nanoTime();
                ids.clear();
                for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                    if (info != null && info.getThreadName().contains(applicationId)) {
                        ids.add(info.getThreadId());
                    }
                }
            }
            long nanos = 0;
            for (long id : ids) {
                nanos += Math.max(0, threads.getThreadCpuTime(id)); // -1 once a thread has ended
            }
            return nanos;
        };
    }

    /**
     * Bytes in the changelog topics of {@code applicationId}, by topic (the application id taken off), as the broker's
     * log directories hold them: what the stores wrote, record batches and their headers included. Read before the
     * log cleaner has run (it compacts only rolled segments), this is what was written.
     */
    static Map<String, Long> changelogBytes(Properties client, String applicationId)
            throws ExecutionException, InterruptedException {
        Map<String, Long> bytes = new TreeMap<>();
        try (Admin admin = Admin.create(client)) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(brokers).allDescriptions().get();
            for (Map<String, LogDirDescription> byPath : dirs.values()) {
                for (LogDirDescription dir : byPath.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        String topic = replica.getKey().topic();
                        if (topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")) {
                            bytes.merge(topic.substring(applicationId.length() + 1), replica.getValue().size(),
                                    Long::sum);
                        }
                    }
                }
            }
        }
        return bytes;
    }
}
