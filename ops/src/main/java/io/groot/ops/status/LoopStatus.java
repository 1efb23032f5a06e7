package io.groot.ops.status;

import io.groot.schemas.ModelVersion;
import io.groot.schemas.Topics;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.accounting.Accounting;
import io.groot.streams.accounting.AccountingReader;
import io.groot.streams.accounting.LoopAccount;
import io.groot.streams.join.JoinBacklog;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.StreamingTrainer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code groot status} shows: the loop's books (exactly-once counts from the accounting changelogs), how far
 * the streams application lags behind its input topics and the trainer behind the training batches, and the
 * model's version history.
 *
 * @param lag        offsets not yet consumed by the application, per input topic (Kafka's consumer lag: the commit
 *                   marker of a producer's transaction takes an offset too)
 * @param trainerLag offsets of the training batches not yet trained into a version: the trainer commits its offsets
 *                   with each version, so this counts the batches it holds for the next one as well as those it has
 *                   not read
 * @param versions   the model's version records, oldest first (empty without a schema registry to read them)
 * @param backlog    what waits in the join, and since when (record time)
 * @param readAt     when the status was read: the backlog's ages are taken from it
 * @param deadLetterTopic the dead-letter topic by reason, from every writer: the streams application (whose books
 *                   count its own), the trainer, the connectors
 */
public record LoopStatus(String applicationId, String modelName, LoopAccount account, JoinBacklog backlog,
                         Instant readAt, Map<String, Long> lag, Map<String, Long> trainerLag,
                         List<ModelVersion> versions, DeadLetterCount deadLetterTopic) {

    /**
     * @param trainerGroup the trainer's consumer group
     * @param serdes       null to skip the model versions (they need the schema registry)
     */
    public static LoopStatus read(Properties client, String applicationId, String trainerGroup, Topics topics,
                                  String modelName, GrootSerdes serdes, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        LoopAccount account = AccountingReader.read(client, applicationId, timeout);
        JoinBacklog backlog = JoinBacklog.read(client, applicationId, timeout);
        Map<String, Long> lag = consumerLag(client, applicationId, List.of(topics.texts(), topics.candidates(),
                topics.rewards()), timeout);
        Map<String, Long> trainerLag = consumerLag(client, trainerGroup, List.of(topics.trainingBatches()), timeout);
        List<ModelVersion> versions = serdes == null ? List.of()
                : ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions()).stream()
                .filter(v -> v.getModelName().equals(modelName)).toList();
        return new LoopStatus(applicationId, modelName, account, backlog, Instant.now(), lag, trainerLag, versions,
                DeadLetterCount.read(client, topics.deadLetters(), timeout, timeout));
    }

    /** Whether the cluster names itself within {@code timeout}. */
    public static boolean clusterAnswers(Properties client, Duration timeout) throws InterruptedException {
        Admin admin = Admin.create(client);
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } finally {
            admin.close(Duration.ZERO); // a plain close waits out the unanswered call (60 s)
        }
    }

    /**
     * Kafka's consumer lag of {@code groupId}, summed per topic: the committed offsets' distance to the ends of the
     * topics' partitions as a read-committed consumer sees them. A partition with no commit counts from its earliest
     * offset, where the loop's consumers start (retention may have deleted what came before).
     */
    public static Map<String, Long> consumerLag(Properties client, String groupId, List<String> topics,
                                                Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((topic, description) -> description.partitions().forEach(p ->
                            partitions.add(new TopicPartition(topic, p.partition()))));
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest(), timeout);
            Map<TopicPartition, Long> starts = offsets(admin, partitions.stream()
                    .filter(tp -> committed.get(tp) == null).toList(), OffsetSpec.earliest(), timeout);
            Map<String, Long> lag = new LinkedHashMap<>();
            topics.forEach(topic -> lag.put(topic, 0L));
            ends.forEach((tp, end) -> {
                OffsetAndMetadata done = committed.get(tp);
                lag.merge(tp.topic(), Math.max(0, end - (done == null ? starts.get(tp) : done.offset())), Long::sum);
            });
            return lag;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec,
                                                     Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (request.isEmpty()) {
            return offsets;
        }
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("applicationId", applicationId);
        json.put("accounting", account.counts());
        json.put("textsAwaitingInference", account.textsAwaitingInference());
        json.put("rewardsPending", account.rewardsPending());
        json.put("candidatesAwaitingFeedback", account.candidatesAwaiting());
        json.put("rewardsWaitingForCandidates", backlog.rewardsWaiting());
        json.put("oldestWaitingRewardAgeMs", backlog.oldestRewardAge(readAt).map(Duration::toMillis).orElse(null));
        json.put("candidatesWaitingForFeedback", backlog.candidatesWaiting());
        json.put("oldestWaitingCandidatesAgeMs",
                backlog.oldestCandidatesAge(readAt).map(Duration::toMillis).orElse(null));
        json.put("lag", lag);
        json.put("trainerLag", trainerLag);
        json.put("deadLetterTopic", deadLetterTopic.byReason());
        json.put("deadLetterTopicComplete", deadLetterTopic.complete());
        versions.stream().reduce((a, b) -> b).ifPresent(latest -> {
            json.put("model", modelName);
            json.put("latestVersion", latest.getVersion());
            json.put("servingVersion", latest.getServingVersion());
        });
        json.put("versions", versions.stream().map(v -> Map.of("version", v.getVersion(),
                "status", v.getStatus().name(), "trainingExamples", v.getTrainingExamples(),
                "setsSkippedOverBudget", skippedOverBudget(v))).toList());
        return json;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("application ").append(applicationId).append('\n');
        line(out, "texts", "received", Accounting.TEXTS_RECEIVED, "candidates", Accounting.TEXTS_CANDIDATES,
                "dead letters", Accounting.TEXTS_DEAD_LETTERED);
        out.append(String.format(Locale.ROOT, "  awaiting inference %d%n", account.textsAwaitingInference()));
        line(out, "rewards", "received", Accounting.REWARDS_RECEIVED, "joined", Accounting.REWARDS_JOINED,
                "duplicate", Accounting.REWARDS_DUPLICATE);
        out.append(String.format(Locale.ROOT, "  dead letters %d  pending %d  waiting for candidates %d%s%n",
                account.get(Accounting.REWARDS_DEAD_LETTERED), account.rewardsPending(), backlog.rewardsWaiting(),
                oldest(backlog.oldestRewardAge(readAt))));
        line(out, "candidates", "received", Accounting.CANDIDATES_RECEIVED, "joined", Accounting.CANDIDATES_JOINED,
                "expired", Accounting.CANDIDATES_EXPIRED);
        out.append(String.format(Locale.ROOT, "  awaiting feedback %d%s%n", account.candidatesAwaiting(),
                oldest(backlog.oldestCandidatesAge(readAt))));
        out.append(String.format(Locale.ROOT, "%-11s %d contrast sets, %d in %d training batches%n", "training",
                account.get(Accounting.CONTRAST_SETS), account.get(Accounting.CONTRAST_SETS_BATCHED),
                account.get(Accounting.BATCHES)));
        account.deadLettersByReason().forEach((reason, count) ->
                out.append(String.format(Locale.ROOT, "  %-50s %d%n", reason, count)));
        out.append("dead-letter topic ").append(deadLetterTopic.render()).append('\n');
        out.append("lag ").append(lag).append('\n');
        out.append("trainer lag ").append(trainerLag)
                .append(" (training-batch offsets not yet trained into a version)\n");
        for (ModelVersion v : versions) {
            long skipped = skippedOverBudget(v);
            out.append(String.format(Locale.ROOT, "model %s v%d %-14s serving v%d  examples %d%s%n", modelName,
                    v.getVersion(), v.getStatus(), v.getServingVersion(), v.getTrainingExamples(),
                    skipped == 0 ? "" : "  skipped over the trainer's budget " + skipped));
        }
        return out.toString();
    }

    /** Older waiting sets the version did not take (TrainerBudget); 0 for versions recorded before the budget. */
    private static long skippedOverBudget(ModelVersion version) {
        return Math.round(version.getMetrics().getOrDefault(StreamingTrainer.BUDGET_SKIPPED, 0.0));
    }

    /** ", the oldest for 3 min 12 s" (by record time), or nothing when none waits. */
    private static String oldest(Optional<Duration> age) {
        return age.map(a -> String.format(Locale.ROOT, ", the oldest for %d min %d s", a.toMinutes(),
                a.toSecondsPart())).orElse("");
    }

    private void line(StringBuilder out, String what, String n1, String c1, String n2, String c2, String n3,
                      String c3) {
        out.append(String.format(Locale.ROOT, "%-11s %s %d  %s %d  %s %d", what, n1, account.get(c1), n2,
                account.get(c2), n3, account.get(c3)));
    }
}
