package io.groot.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groot.ops.replay.FeedbackLog;
import io.groot.ops.replay.Replay;
import io.groot.ops.replay.ReplayTable;
import io.groot.schemas.ArtifactRef;
import io.groot.schemas.ModelVersion;
import io.groot.schemas.Topics;
import io.groot.schemas.registry.RestSchemaRegistry;
import io.groot.schemas.serde.GrootSerdes;
import io.groot.streams.join.FeedbackPolicy;
import io.groot.trainer.artifact.LocalArtifactStore;
import io.groot.trainer.bench.PairedDifference;
import io.groot.trainer.bench.RankedEvaluation;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.ModelVersionLog;
import io.groot.trainer.service.TrainerConfig;
import org.apache.kafka.clients.CommonClientConfigs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code groot replay evaluate|retrain}: score model versions against logged feedback, or train a new version
 * from a base version on it, without touching the running loop.
 */
final class ReplayCommand {
    static final String USAGE = """
            replay evaluate|retrain options:
              --bootstrap-servers HOSTS  the Kafka cluster holding model-versions (and the log, unless --archive)
              --schema-registry URL      Confluent-API schema registry (required)
              --artifacts DIR            model artifact store (required)
              --archive DIR              replay an archive written by the archive sink [the texts and rewards topics]
              --from-time T --to-time T  only records with Kafka timestamps in [T, T] (ISO-8601) [everything]
              --versions 1,2             evaluate: the versions to compare side by side
              --from-version N           retrain: the base version
              --model NAME --topic-prefix P --k N --reward NAME --max-corrections N --feedback-policy P
                                         as for streams
              --epochs N --learning-rate X --seed N --tau X --alpha X --lambda X
                                         retrain: as for trainer [those the version after the base was trained
                                         with, as its record keeps them; the trainer's defaults without one]
              --json                     print JSON instead of the table
            """;

    private ReplayCommand() {
    }

    static void run(String mode, Arguments a) throws Exception {
        String bootstrap = required(a, "bootstrap-servers");
        GrootSerdes serdes = new GrootSerdes(new RestSchemaRegistry(required(a, "schema-registry")));
        LocalArtifactStore artifacts = new LocalArtifactStore(Path.of(required(a, "artifacts")));
        String model = a.string("model", "slots");
        Topics topics = Topics.withPrefix(a.string("topic-prefix", "groot."));
        int k = a.integer("k", 4);
        RewardFunction reward = RewardFunction.parse(a.string("reward", "f0.5"));
        int maxCorrections = a.integer("max-corrections", 4);
        FeedbackPolicy policy = FeedbackPolicy.parse(a.string("feedback-policy", FeedbackPolicy.FIRST_WINS.label()));
        String archive = a.string("archive", null);
        String from = a.string("from-time", null);
        String to = a.string("to-time", null);
        String versions = a.string("versions", null);
        long base = a.longNumber("from-version", -1);
        TrainingOptions.Given given = mode.equals("retrain") ? TrainingOptions.given(a) : null;
        boolean json = a.flag("json");
        Properties client = new Properties();
        client.putAll(a.clientConfig());
        a.requireAllUsed();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);

        long fromMs = from == null ? 0 : Instant.parse(from).toEpochMilli();
        long toMs = to == null ? Long.MAX_VALUE : Instant.parse(to).toEpochMilli();
        FeedbackLog log = (archive != null ? FeedbackLog.fromArchive(Path.of(archive), topics, fromMs, toMs)
                : FeedbackLog.fromTopics(client, topics, serdes, fromMs, toMs)).under(policy);
        System.err.printf("log: %d feedback events (%d duplicates under %s and %d without their text skipped)%n",
                log.entries().size(), log.duplicates(), policy.label(), log.withoutText());
        Map<Long, ModelVersion> byNumber = new TreeMap<>();
        ModelVersionLog.readAll(client, topics.modelVersions(), serdes.modelVersions()).stream()
                .filter(v -> v.getModelName().equals(model)).forEach(v -> byNumber.put(v.getVersion(), v));
        Map<String, Object> report = new LinkedHashMap<>();
        if (mode.equals("evaluate")) {
            if (versions == null) {
                throw new IllegalArgumentException("replay evaluate needs --versions, e.g. --versions 3,4");
            }
            Map<String, RankedEvaluation> results = new LinkedHashMap<>();
            for (String v : versions.split(",")) {
                try (Labeler labeler = load(artifacts, version(byNumber, Long.parseLong(v.trim())).getArtifact())) {
                    results.put("v" + v.trim(), Replay.evaluate(labeler, log, k, reward));
                }
            }
            results.forEach((v, e) -> report.put(v, e.toMap()));
            Map<String, Object> differences = new LinkedHashMap<>();
            ReplayTable.differences(results).forEach((pair, byMetric) ->
                    differences.put(pair, PairedDifference.toMaps(byMetric)));
            report.put("differences", differences);
            System.out.print(json ? new ObjectMapper().writeValueAsString(report) + "\n" : ReplayTable.render(results));
        } else if (mode.equals("retrain")) {
            if (base < 0) {
                throw new IllegalArgumentException("replay retrain needs --from-version N");
            }
            ModelVersion parent = version(byNumber, base);
            TrainerConfig recorded = Replay.trainerOf(byNumber.get(base + 1), TrainerConfig.defaults(model));
            TrainerConfig training = given.over(recorded);
            report.put("trainingSettings", training.trainingSettings());
            ContrastSetBuilder builder = new ContrastSetBuilder(reward, new Corrector(maxCorrections));
            try (Labeler labeler = load(artifacts, parent.getArtifact())) {
                Replay.Retrained retrained = Replay.retrain(labeler, model, base, log, k, builder, training);
                ArtifactRef stored = artifacts.put(LabelerArtifact.toBytes(labeler));
                report.put("baseVersion", base);
                report.put("contrastSets", retrained.contrastSets());
                report.put("refused", retrained.refused());
                report.put("gatePasses", retrained.outcome().passes());
                report.put("metrics", retrained.outcome().metrics());
                report.put("artifact", stored.getUri());
                report.put("evaluationOnLog", Replay.evaluate(labeler, log, k, reward).toMap());
            }
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            throw new IllegalArgumentException("replay takes evaluate or retrain, not '" + mode + "'");
        }
    }

    private static ModelVersion version(Map<Long, ModelVersion> byNumber, long number) {
        ModelVersion version = byNumber.get(number);
        if (version == null) {
            throw new IllegalArgumentException("no version " + number + "; known: " + byNumber.keySet());
        }
        return version;
    }

    private static Labeler load(LocalArtifactStore artifacts, ArtifactRef ref) throws Exception {
        return LabelerArtifact.fromBytes(artifacts.get(ref));
    }

    private static String required(Arguments a, String name) {
        String value = a.string(name, null);
        if (value == null) {
            throw new IllegalArgumentException("replay needs --" + name);
        }
        return value;
    }
}
