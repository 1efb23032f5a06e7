package io.groot.trainer;

import io.groot.schemas.Candidate;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.Origin;
import io.groot.schemas.RewardEvent;
import io.groot.trainer.bench.QualityBenchmark;
import io.groot.trainer.bench.QualityBenchmarkConfig;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.model.LabelerConfig;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.reward.SpanCounts;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QualityBenchmarkTest {

    @Test
    void spanF1IsCorpusLevelNotSentenceAveraged() {
        SpanCounts counts = new SpanCounts();
        // Sentence 1: 1 of 1 predicted correct, 1 gold. Sentence 2: nothing predicted, 3 gold.
        counts.add(List.of("B-a", "O"), List.of("B-a", "O"));
        counts.add(List.of("O", "O", "O"), List.of("B-a", "B-b", "B-c"));
        assertEquals(1.0, counts.precision(), 1e-12);
        assertEquals(0.25, counts.recall(), 1e-12);
        assertEquals(0.4, counts.f1(), 1e-12);
    }

    @Test
    void spanCountsAreKeptPerTypeAsConllevalPrintsThem() {
        SpanCounts counts = new SpanCounts();
        // A span of the right type with the wrong bounds counts against its type twice: predicted and missed.
        counts.add(List.of("B-city", "I-city", "O", "B-day"), List.of("B-city", "O", "O", "B-day"));
        counts.add(List.of("B-day", "O"), List.of("B-city", "O"));
        assertEquals(new SpanCounts.Tally(1, 2, 0), counts.byType().get("city"));
        assertEquals(new SpanCounts.Tally(2, 1, 1), counts.byType().get("day"));
        assertEquals(List.of("city", "day"), List.copyOf(counts.byType().keySet()));
        assertEquals(0.5, counts.byType().get("day").precision(), 1e-12);
        assertEquals(2.0 / 3, counts.byType().get("day").f1(), 1e-12);
        assertEquals(1.0 / 3, counts.f1(), 1e-12);
    }

    @Test
    void withoutCorrectionTheSetHoldsOnlyModelCandidates() {
        List<String> tokens = List.of("to", "new", "york", "monday");
        List<String> reference = List.of("O", "B-city", "I-city", "B-day");
        CandidateSet candidates = CandidateSet.newBuilder().setRequestId("r").setTokens(tokens).setModelName("m")
                .setModelVersion(1).setTextEventTime(Instant.EPOCH).setGeneratedAt(Instant.EPOCH)
                .setCandidates(List.of(new Candidate(1, List.of("O", "B-city", "O", "O"), -1.0),
                        new Candidate(2, List.of("O", "O", "O", "O"), -2.0))).build();
        RewardEvent feedback = RewardEvent.newBuilder().setRequestId("r").setEventId("e").setSource("s")
                .setEventTime(Instant.EPOCH).setReferenceLabels(reference).build();

        ContrastSet plain = new ContrastSetBuilder(RewardFunction.parse("f1"), new Corrector(4), false, true)
                .build(candidates, feedback, null);
        ContrastSet corrected = new ContrastSetBuilder(RewardFunction.parse("f1"), new Corrector(4))
                .build(candidates, feedback, null);

        assertEquals(2, plain.getMembers().size());
        assertTrue(plain.getMembers().stream().allMatch(m -> m.getOrigin() == Origin.MODEL));
        assertEquals(reference, plain.getReferenceLabels(), "the reference still anchors the NLL term");
        assertTrue(corrected.getMembers().size() > 2);
    }

    @Test
    void sameDataSeedAndConfigGiveTheSameReport() throws Exception {
        LabelledCorpus corpus = tinyCorpus();
        QualityBenchmarkConfig config = tinyConfig(2, 1, 5e-3f, 0, List.of(GrootObjective.defaults()));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Map<String, Object> first = new QualityBenchmark(config, quiet).run(corpus, "tiny");
        Map<String, Object> second = new QualityBenchmark(config, quiet).run(corpus, "tiny");

        assertEquals(first.get("models"), second.get("models"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) first.get("models");
        assertEquals(List.of("nll", "groot", "groot-no-correction", "nll-continued"), List.copyOf(models.keySet()));
        @SuppressWarnings("unchecked")
        List<Double> ranks = (List<Double>) models.get("groot").get("rewardAtRank");
        assertEquals(3, ranks.size());
        double best = (Double) models.get("groot").get("bestOfK");
        assertTrue(best >= ranks.get(0) && best >= ranks.get(2), "best-of-k bounds every rank");

        // The paired comparisons are built from per-sentence values that must add up to the models' means.
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Double>>> comparisons =
                (Map<String, Map<String, Map<String, Double>>>) first.get("comparisons");
        Map<String, Double> atOne = comparisons.get("groot - nll").get("rewardAtOne");
        @SuppressWarnings("unchecked")
        double nllAtOne = ((List<Double>) models.get("nll").get("rewardAtRank")).get(0);
        assertEquals(ranks.get(0) - nllAtOne, atOne.get("mean"), 1e-9);
        assertTrue(atOne.get("low95") <= atOne.get("mean") && atOne.get("mean") <= atOne.get("high95"));
        Map<String, Double> meanOfK = comparisons.get("groot - groot-no-correction").get("meanOfK");
        assertEquals((Double) models.get("groot").get("meanOfK")
                - (Double) models.get("groot-no-correction").get("meanOfK"), meanOfK.get("mean"), 1e-9);
    }

    @Test
    @SuppressWarnings("unchecked")
    void roundsPulledAllTheWayBackToTheBaselineScoreAsTheBaseline() throws Exception {
        QualityBenchmarkConfig config = tinyConfig(2, 2, 5e-3f, 0, List.of(GrootObjective.defaults()));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Map<String, Object> trained = (Map<String, Object>) new QualityBenchmark(config, quiet)
                .run(tinyCorpus(), "tiny").get("models");
        Map<String, Object> pulledBack = (Map<String, Object>) new QualityBenchmark(config.withInterpolations(List.of(1e-7)),
                quiet).run(tinyCorpus(), "tiny").get("models");

        double baseline = (Double) ((Map<String, Object>) trained.get("nll")).get("meanOfK");
        assertEquals(baseline, (Double) ((Map<String, Object>) pulledBack.get("nll")).get("meanOfK"), 1e-12,
                "the baseline is not touched");
        boolean anyRoundMoved = false;
        for (String variant : List.of("groot", "groot-no-correction", "nll-continued")) {
            assertEquals(baseline, (Double) ((Map<String, Object>) pulledBack.get(variant)).get("meanOfK"), 1e-9,
                    variant + " keeps almost none of its move, so it scores as the baseline");
            anyRoundMoved |= Math.abs((Double) ((Map<String, Object>) trained.get(variant)).get("meanOfK")
                    - baseline) > 1e-6;
        }
        assertTrue(anyRoundMoved, "with the trained weights kept the rounds score otherwise");
        assertThrows(IllegalArgumentException.class, () -> config.withInterpolations(List.of(0.5, 0.0)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenSeveralSharesEachVariantKeepsTheOneItsValidSplitScoresBest() throws Exception {
        QualityBenchmarkConfig config = tinyConfig(2, 2, 5e-3f, 0, List.of(GrootObjective.defaults()))
                .withInterpolations(List.of(1e-7, 1.0));
        Map<String, Object> models = (Map<String, Object>) quiet(config).run(tinyCorpus(), "tiny").get("models");
        for (String variant : List.of("groot", "groot-no-correction", "nll-continued")) {
            Map<String, Object> model = (Map<String, Object>) models.get(variant);
            List<Map<String, Object>> tried = (List<Map<String, Object>>) model.get("objectivesTried");
            assertEquals(List.of(1e-7, 1.0), tried.stream().map(t -> t.get("interpolation")).toList(), variant);
            Map<String, Object> best = tried.stream()
                    .reduce((a, b) -> (Double) b.get("validScore") > (Double) a.get("validScore") ? b : a)
                    .orElseThrow();
            assertEquals(best.get("interpolation"), model.get("interpolation"), variant);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutRoundsItMeasuresTheBaselineAlone() throws Exception {
        Map<String, Object> report = overTwoSeeds(0);

        assertEquals(List.of("nll"), List.copyOf(((Map<String, Object>) report.get("models")).keySet()));
        assertTrue(((Map<String, Object>) report.get("overSeeds")).containsKey("nll"));
        assertTrue(((Map<String, Object>) report.get("comparisonsOverSeeds")).isEmpty(),
                "no pair has both its models");
        assertThrows(IllegalArgumentException.class,
                () -> tinyConfig(1, -1, 5e-3f, 0, List.of(GrootObjective.defaults())));
        assertThrows(IllegalArgumentException.class,
                () -> tinyConfig(0, 1, 5e-3f, 0, List.of(GrootObjective.defaults())));
    }

    @Test
    @SuppressWarnings("unchecked")
    void comparesTheModelsAveragedOverSeeds() throws Exception {
        Map<String, Object> report = overTwoSeeds(1);

        Map<String, Map<String, Map<String, Double>>> overSeeds =
                (Map<String, Map<String, Map<String, Double>>>) report.get("overSeeds");
        Map<String, Map<String, Map<String, Double>>> comparisons =
                (Map<String, Map<String, Map<String, Double>>>) report.get("comparisonsOverSeeds");
        for (String metric : List.of("rewardAtOne", "meanOfK")) {
            // The mean of the per-sentence differences of seed-averaged models is the difference of the means.
            assertEquals(overSeeds.get("groot").get(metric).get("mean")
                            - overSeeds.get("nll-continued").get(metric).get("mean"),
                    comparisons.get("groot - nll-continued").get(metric).get("mean"), 1e-9, metric);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void heldBackFeedbackIsNewToTheBaselineAndItsErrorsGetCorrected() throws Exception {
        QualityBenchmarkConfig config = tinyConfig(1, 2, 5e-3f, 0.5, List.of(GrootObjective.defaults()));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Map<String, Object> heldBack = new QualityBenchmark(config, quiet).run(tinyCorpus(), "tiny");
        Map<String, Object> shared = new QualityBenchmark(config.withFeedbackShare(0), quiet).run(tinyCorpus(), "tiny");

        assertEquals(40, heldBack.get("pretraining"));
        assertEquals(40, heldBack.get("feedback"));
        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) heldBack.get("models");
        Map<String, Map<String, Object>> sharedModels = (Map<String, Map<String, Object>>) shared.get("models");
        assertNotEquals(sharedModels.get("nll").get("rewardAtRank"), models.get("nll").get("rewardAtRank"),
                "the baseline trained on half the sentences");
        // Each round meets its own half of the feedback, as each version meets new text in the stream.
        for (String variant : List.of("groot", "groot-no-correction", "nll-continued")) {
            assertEquals(List.of(20, 20), rounds(models.get(variant)).stream().map(r -> r.get("sets")).toList());
        }
        // A weak baseline on unseen sentences makes candidates with several errors: correction has work to do.
        assertTrue((Double) rounds(models.get("groot")).get(0).get("correctedPerSet") > 0);
        assertEquals(0.0, rounds(models.get("groot-no-correction")).get(0).get("correctedPerSet"));
        // Its top candidates miss some references; only full GROOT adds them to the contrast sets.
        assertTrue((Double) rounds(models.get("groot")).get(0).get("referenceAddedPerSet") > 0);
        assertEquals(0.0, rounds(models.get("groot-no-correction")).get(0).get("referenceAddedPerSet"));
        assertEquals(List.of(80, 80), rounds(sharedModels.get("groot")).stream().map(r -> r.get("sets")).toList());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> new QualityBenchmark(config.withFeedbackShare(0.01), quiet).run(tinyCorpus(), "tiny"));
        assertTrue(tooFew.getMessage().contains("holds back 1 of 80"), tooFew.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyReportedModelDecodesWithTheOutsideBiasItsValidSplitScoresBest() throws Exception {
        // Without a valid split the test split serves for it, so each model's reported reward@1 must be the best
        // of the biases tried, and the bias reported the one that scored it.
        LabelledCorpus tiny = tinyCorpus();
        QualityBenchmarkConfig config = tinyConfig(2, 1, 1e-3f, 0, List.of(GrootObjective.defaults()));
        Map<String, Object> report = quiet(config)
                .run(new LabelledCorpus(tiny.train(), List.of(), tiny.test()), "tiny");

        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) report.get("models");
        for (String model : List.of("nll", "groot", "groot-no-correction", "nll-continued")) {
            Map<String, Double> tried = (Map<String, Double>) models.get(model).get("outsideBiasValid");
            assertEquals(11, tried.size(), model); // the grid, -1 to 3
            double best = tried.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double reported = ((List<Double>) models.get(model).get("rewardAtRank")).get(0);
            assertEquals(best, reported, 1e-12, model);
            float bias = ((Number) models.get(model).get("outsideBias")).floatValue();
            assertEquals(best, tried.get(Float.toString(bias)), 1e-12, model);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void selectsRoundsByTheRewardItReports() throws Exception {
        // Without a valid split the test split serves for selection: a single round's score there is its report.
        LabelledCorpus tiny = tinyCorpus();
        QualityBenchmarkConfig config = tinyConfig(1, 1, 1e-3f, 0, List.of(GrootObjective.defaults()))
                .withCalibrateOutsideBias(false);
        Map<String, Object> report = quiet(config)
                .run(new LabelledCorpus(tiny.train(), List.of(), tiny.test()), "tiny");

        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) report.get("models");
        for (String variant : List.of("groot", "groot-no-correction", "nll-continued")) {
            double reported = ((List<Double>) models.get(variant).get("rewardAtRank")).get(0);
            assertEquals(reported, (Double) rounds(models.get(variant)).get(0).get("validRewardAtOne"), 1e-12,
                    variant);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void selectionBySpanF1KeepsTheRoundOfBestValidSpanF1() throws Exception {
        // Without a valid split the test split serves for selection: the round kept is the one whose span F1 there
        // is highest, and what is reported is that round's span F1.
        LabelledCorpus tiny = tinyCorpus();
        // Token accuracy as the reward: it ranks weak models' rounds differently from span F1.
        QualityBenchmarkConfig byReward = tinyConfig(1, 4, 3e-4f, 0, List.of(GrootObjective.defaults()));
        QualityBenchmarkConfig bySpanF1 = new QualityBenchmarkConfig("token-accuracy", byReward.k(),
                byReward.nllEpochs(), byReward.rounds(), byReward.objectives(), byReward.maxCorrections(),
                byReward.nllLearningRate(), byReward.grootLearningRate(), byReward.batchSize(), byReward.maxTrain(),
                byReward.seed(), byReward.architecture(), byReward.trainingCandidates(), byReward.feedbackShare(),
                byReward.addReferences(), QualityBenchmarkConfig.SELECT_SPAN_F1, byReward.weightAverage(),
                false, List.of(1.0));
        Map<String, Object> report = new QualityBenchmark(bySpanF1, new PrintStream(OutputStream.nullOutputStream()))
                .run(new LabelledCorpus(tiny.train(), List.of(), tiny.test()), "tiny");
        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) report.get("models");
        for (String variant : List.of("groot", "groot-no-correction", "nll-continued")) {
            double best = rounds(models.get(variant)).stream().mapToDouble(r -> (Double) r.get("validSpanF1AtOne"))
                    .max().orElseThrow();
            assertEquals(best, (Double) models.get(variant).get("spanF1AtOne"), 1e-12, variant);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenSeveralLossSettingsEachGrootVariantKeepsTheOneItsValidSplitScoresBest() throws Exception {
        List<GrootObjective> grid = List.of(new GrootObjective(0.1, 0, 0.5), new GrootObjective(1.0, 0, 0));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Map<String, Object> report = new QualityBenchmark(tinyConfig(1, 1, 1e-3f, 0.5, grid), quiet)
                .run(tinyCorpus(), "tiny");

        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) report.get("models");
        for (String variant : List.of("groot", "groot-no-correction")) {
            List<Map<String, Object>> tried = (List<Map<String, Object>>) models.get(variant).get("objectivesTried");
            assertEquals(2, tried.size(), variant);
            List<Double> scores = tried.stream().map(t -> (Double) t.get("validScore")).toList();
            assertNotEquals(scores.get(0), scores.get(1), "the settings must differ for the choice to mean anything");
            Map<String, Object> best = tried.get(scores.get(0) >= scores.get(1) ? 0 : 1);
            assertEquals(best.get("objective"), models.get(variant).get("objective"), variant);
            assertEquals(best.get("validScore"), rounds(models.get(variant)).stream()
                    .map(r -> (Double) r.get("validRewardAtOne")).max(Double::compare).orElseThrow(), variant);

            // The model reported is the one that setting trains alone (the variants share their random numbers).
            Map<String, Object> chosen = (Map<String, Object>) best.get("objective");
            GrootObjective alone = new GrootObjective((Double) chosen.get("tau"), (Double) chosen.get("alpha"),
                    (Double) chosen.get("lambda"));
            Map<String, Map<String, Object>> aloneModels = (Map<String, Map<String, Object>>) new QualityBenchmark(
                    tinyConfig(1, 1, 1e-3f, 0.5, List.of(alone)), quiet).run(tinyCorpus(), "tiny").get("models");
            assertEquals(aloneModels.get(variant).get("rewardAtRank"), models.get(variant).get("rewardAtRank"));
        }
        assertFalse(models.get("nll-continued").containsKey("objectivesTried"), "maximum likelihood has no such loss");
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenBothAddReferenceValuesFullGrootKeepsTheOneItsValidSplitScoresBest() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<GrootObjective> defaults = List.of(GrootObjective.defaults());
        Map<String, Object> report = new QualityBenchmark(tinyConfig(1, 1, 1e-3f, 0.5, defaults,
                List.of(true, false)), quiet).run(tinyCorpus(), "tiny");

        Map<String, Map<String, Object>> models = (Map<String, Map<String, Object>>) report.get("models");
        List<Map<String, Object>> tried = (List<Map<String, Object>>) models.get("groot").get("objectivesTried");
        assertEquals(List.of(true, false), tried.stream().map(t -> t.get("addReference")).toList());
        List<Double> scores = tried.stream().map(t -> (Double) t.get("validScore")).toList();
        assertNotEquals(scores.get(0), scores.get(1), "the settings must differ for the choice to mean anything");
        boolean best = scores.get(0) >= scores.get(1);
        assertEquals(best, models.get("groot").get("addReference"));

        // The model reported is the one that value trains alone; no-correction has no reference to add.
        Map<String, Map<String, Object>> alone = (Map<String, Map<String, Object>>) new QualityBenchmark(
                tinyConfig(1, 1, 1e-3f, 0.5, defaults, List.of(best)), quiet).run(tinyCorpus(), "tiny").get("models");
        assertEquals(alone.get("groot").get("rewardAtRank"), models.get("groot").get("rewardAtRank"));
        assertFalse(models.get("groot-no-correction").containsKey("objectivesTried"));
        assertEquals(alone.get("groot-no-correction").get("rewardAtRank"),
                models.get("groot-no-correction").get("rewardAtRank"));
    }

    /** The tiny benchmark with one baseline epoch and {@code rounds} rounds, over seeds 5 and 6. */
    private static Map<String, Object> overTwoSeeds(int rounds) throws Exception {
        return quiet(tinyConfig(1, rounds, 5e-3f, 0, List.of(GrootObjective.defaults())))
                .runSeeds(tinyCorpus(), "tiny", 2);
    }

    private static QualityBenchmark quiet(QualityBenchmarkConfig config) {
        return new QualityBenchmark(config, new PrintStream(OutputStream.nullOutputStream()));
    }

    /** A small labeler on the tiny corpus: seconds per run. */
    private static QualityBenchmarkConfig tinyConfig(int nllEpochs, int rounds, float nllRate, double feedbackShare,
                                                     List<GrootObjective> objectives) {
        return tinyConfig(nllEpochs, rounds, nllRate, feedbackShare, objectives, List.of(true));
    }

    private static QualityBenchmarkConfig tinyConfig(int nllEpochs, int rounds, float nllRate, double feedbackShare,
                                                     List<GrootObjective> objectives, List<Boolean> addReferences) {
        return new QualityBenchmarkConfig("f0.5", 3, nllEpochs, rounds, objectives, 2, nllRate, 2e-3f, 16, 0, 5,
                new LabelerConfig(16, 8, 64, 16, 8, 16, 32, 0.2f), 3, feedbackShare, addReferences,
                QualityBenchmarkConfig.SELECT_REWARD, 0, true, List.of(1.0));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rounds(Map<String, Object> model) {
        return (List<Map<String, Object>>) model.get("rounds");
    }

    private static LabelledCorpus tinyCorpus() {
        Random random = new Random(3);
        String[] cities = {"boston", "denver", "new york", "salt lake city"};
        String[] days = {"monday", "friday"};
        List<LabelledSentence> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            List<String> tokens = new ArrayList<>(List.of("fly", "to"));
            List<String> labels = new ArrayList<>(List.of("O", "O"));
            String[] city = cities[random.nextInt(cities.length)].split(" ");
            for (int w = 0; w < city.length; w++) {
                tokens.add(city[w]);
                labels.add(w == 0 ? "B-city" : "I-city");
            }
            tokens.addAll(List.of("on", days[random.nextInt(days.length)]));
            labels.addAll(List.of("O", "B-day"));
            all.add(new LabelledSentence(tokens, labels, ""));
        }
        return new LabelledCorpus(all.subList(0, 80), all.subList(80, 100), all.subList(100, 120));
    }
}
