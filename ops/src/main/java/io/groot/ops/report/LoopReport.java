package io.groot.ops.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.ops.replay.FeedbackLog;
import io.groot.ops.replay.Replay;
import io.groot.ops.replay.ReplayTable;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.PromotionStatus;
import io.groot.schemas.TopicReader;
import io.groot.schemas.Topics;
import io.groot.schemas.TrainingBatch;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.trainer.artifact.ArtifactStore;
import io.groot.trainer.bench.RankedEvaluation;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.VersionTraining;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code groot report}: one self-contained HTML page (no external scripts) with the loop's history, read from its
 * topics: reward and loss per model version, reward at ranks 1..k of the serving vs the previous version on recent
 * feedback, throughput and latency over time.
 */
public final class LoopReport {
    private static final int TIME_BUCKETS = 60;

    private LoopReport() {
    }

    /**
     * @param artifacts null to leave out the rank comparison (it re-runs both versions on the recent feedback)
     * @param recent    how many of the most recent feedback events the rank comparison scores
     */
    public static Map<String, Object> collect(Properties client, Topics topics, GrootSerdes serdes, String model,
                                              ArtifactStore artifacts, int k, RewardFunction reward, int recent)
            throws IOException {
        List<ModelVersion> versions = ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions())
                .stream().filter(v -> v.getModelName().equals(model)).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", model);
        data.put("versions", versions.stream().map(v -> versionRow(v, reward)).toList());
        data.put("ranks", ranks(client, topics, serdes, versions, artifacts, k, reward, recent));
        Map<String, Object> time = overTime(
                TopicReader.readCommitted(client, topics.candidates(), serdes.candidates().deserializer()),
                TopicReader.readCommitted(client, topics.trainingBatches(), serdes.trainingBatches().deserializer()));
        data.put("time", time);
        data.put("summary", versions.size() + " versions; serving v"
                + (versions.isEmpty() ? "-" : versions.get(versions.size() - 1).getServingVersion()) + "; "
                + time.get("candidates") + " candidate sets, " + time.get("joined") + " feedback joined");
        return data;
    }

    public static String html(Map<String, Object> data) throws IOException {
        return page("report.html", data);
    }

    /** The page of {@code groot bench --stages loop}: its JSON drawn as charts. */
    public static String benchLoopHtml(Map<String, Object> benchmark) throws IOException {
        return page("bench-loop.html", benchmark);
    }

    /** A template of this package with the style, the chart code and the data (as JSON) filled in. */
    private static String page(String template, Map<String, Object> data) throws IOException {
        // "</" inside the JSON would end the script element early.
        return resource(template).replace("__STYLE__", resource("report.css"))
                .replace("__CHARTS__", resource("charts.js"))
                .replace("__DATA__", new ObjectMapper().writeValueAsString(data).replace("</", "<\\/"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LoopReport.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Object> versionRow(ModelVersion v, RewardFunction reward) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("version", v.getVersion());
        row.put("status", v.getStatus().name());
        row.put("examples", v.getTrainingExamples());
        row.put("trainLoss", v.getMetrics().get("train.loss"));
        row.put("gateReward", v.getMetrics().get("gate." + reward.name() + "@1"));
        row.put("parentGateReward", v.getMetrics().get("gate.serving." + reward.name() + "@1"));
        // Publication minus when the median feedback was given; the watchers swap within a poll of publication.
        var freshness = VersionTraining.latencySeconds(v, VersionTraining.FEEDBACK_TIME_P50, v.getCreatedAt());
        row.put("freshnessP50", freshness.isPresent() ? freshness.getAsDouble() : null);
        return row;
    }

    private static Map<String, Object> ranks(Properties client, Topics topics, GrootSerdes serdes,
                                             List<ModelVersion> versions, ArtifactStore artifacts, int k,
                                             RewardFunction reward, int recent) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Integer> ranks = new ArrayList<>();
        for (int r = 1; r <= k; r++) {
            ranks.add(r);
        }
        out.put("ranks", ranks);
        List<Map<String, Object>> series = new ArrayList<>();
        out.put("series", series);
        // Up to the serving version: after a rollback, that is an older one than the newest promoted.
        long serving = versions.isEmpty() ? 0 : versions.get(versions.size() - 1).getServingVersion();
        List<ModelVersion> promoted = versions.stream().filter(v -> v.getStatus() == PromotionStatus.PROMOTED
                && v.getVersion() <= serving).toList();
        if (artifacts == null || promoted.isEmpty()) {
            return out;
        }
        FeedbackLog all = FeedbackLog.fromTopics(client, topics, serdes, 0, Long.MAX_VALUE);
        List<FeedbackLog.Entry> entries = all.entries();
        FeedbackLog latest = new FeedbackLog(entries.subList(Math.max(0, entries.size() - recent), entries.size()),
                0, 0);
        List<ModelVersion> compared = promoted.subList(Math.max(0, promoted.size() - 2), promoted.size());
        Map<String, RankedEvaluation> evaluations = new LinkedHashMap<>();
        for (ModelVersion version : compared) {
            try (Labeler labeler = LabelerArtifact.fromBytes(artifacts.get(version.getArtifact()))) {
                RankedEvaluation evaluation = Replay.evaluate(labeler, latest, k, reward);
                evaluations.put("v" + version.getVersion(), evaluation);
                series.add(Map.of("name", "v" + version.getVersion() + " " + reward.name(),
                        "values", Arrays.stream(evaluation.rewardAtRank()).boxed().toList()));
            }
        }
        // Serving minus previous at rank 1, sentence by sentence: whether the new version's edge is more than luck.
        ReplayTable.differences(evaluations).forEach((pair, byMetric) -> out.put("difference", pair + " "
                + reward.name() + "@1 on " + latest.entries().size() + " recent sentences: "
                + byMetric.get("rewardAtOne").formatted() + " (mean [95% paired bootstrap])"));
        return out;
    }

    /** Candidates per second, feedback joined per second, and text-to-candidates latency, in time buckets. */
    static Map<String, Object> overTime(List<CandidateSet> candidates, List<TrainingBatch> batches) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidates", candidates.size());
        out.put("joined", batches.stream().mapToInt(b -> b.getContrastSets().size()).sum());
        long start = candidates.stream().mapToLong(c -> c.getGeneratedAt().toEpochMilli()).min().orElse(0);
        long end = candidates.stream().mapToLong(c -> c.getGeneratedAt().toEpochMilli()).max().orElse(0);
        long bucketMs = Math.max(1000, (end - start) / TIME_BUCKETS + 1);
        int buckets = (int) ((end - start) / bucketMs) + 1;
        double[] perSecond = new double[buckets];
        double[] joined = new double[buckets];
        List<List<Long>> latencies = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            latencies.add(new ArrayList<>());
        }
        for (CandidateSet c : candidates) {
            int b = (int) ((c.getGeneratedAt().toEpochMilli() - start) / bucketMs);
            perSecond[b] += 1000.0 / bucketMs;
            latencies.get(b).add(c.getGeneratedAt().toEpochMilli() - c.getTextEventTime().toEpochMilli());
        }
        for (TrainingBatch batch : batches) {
            int b = (int) ((batch.getCreatedAt().toEpochMilli() - start) / bucketMs);
            if (b >= 0 && b < buckets) {
                joined[b] += batch.getContrastSets().size() * 1000.0 / bucketMs;
            }
        }
        List<String> labels = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            labels.add((i * bucketMs / 1000) + "s");
            long[] sorted = latencies.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
            p50.add(sorted.length == 0 ? null : (double) sorted[(int) (0.50 * (sorted.length - 1))]);
            p95.add(sorted.length == 0 ? null : (double) sorted[(int) (0.95 * (sorted.length - 1))]);
        }
        out.put("labels", labels);
        out.put("candidatesPerSecond", Arrays.stream(perSecond).boxed().toList());
        out.put("joinedPerSecond", Arrays.stream(joined).boxed().toList());
        out.put("latencyP50", p50);
        out.put("latencyP95", p95);
        return out;
    }
}
