package io.groot.trainer.bench;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.Origin;
import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.Corrector;
import io.groot.trainer.groot.GrootObjective;
import io.groot.trainer.groot.GrootTraining;
import io.groot.trainer.groot.OfflineRound;
import io.groot.trainer.groot.WeightInterpolation;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.LabelerArtifact;
import io.groot.trainer.model.Vocabulary;
import io.groot.trainer.reward.RewardFunction;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Trains the maximum-likelihood baseline, then GROOT from it and two ablations with the same number of passes
 * over the same data (GROOT without correction; maximum likelihood continued), and evaluates all four on the
 * test split. The rounds revisit the baseline's training sentences, or, with a feedback share, get sentences held
 * back from it, as feedback arrives on new text in the stream. Reported: reward at each rank, best-of-k,
 * mean-of-k, corpus span F1 at rank 1. Selection is the same for all: the baseline keeps its best epoch on the valid
 * split (by reward at rank 1), and each variant its best round after the baseline (the baseline itself is not a
 * candidate, so a variant reports what its own training gave); given several GROOT loss settings (or, for full GROOT,
 * both add-reference values), each GROOT variant also keeps the setting whose best round scores highest there.
 */
public final class QualityBenchmark {
    private final QualityBenchmarkConfig config;
    private final PrintStream progress;
    private final RewardFunction reward;

    public QualityBenchmark(QualityBenchmarkConfig config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
        this.reward = RewardFunction.parse(config.reward());
    }

    /**
     * The benchmark once per seed (seed, seed+1, ...): every run's report, and each model's metrics as mean and
     * standard deviation over the seeds, so rank-1 differences can be told from noise.
     */
    public Map<String, Object> runSeeds(LabelledCorpus corpus, String name, int seeds) throws IOException {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            QualityBenchmarkConfig seeded = config.withSeed(config.seed() + i);
            progress.printf(Locale.ROOT, "== seed %d (%d of %d)%n", seeded.seed(), i + 1, seeds);
            runs.add(new QualityBenchmark(seeded, progress).run(corpus, name));
        }
        Map<String, Object> report = new LinkedHashMap<>(runs.get(runs.size() - 1));
        report.put("models", runs.get(0).get("models"));
        report.put("comparisons", runs.get(0).get("comparisons"));
        report.put("seeds", seeds);
        report.put("overSeeds", SeedSummary.of(runs));
        report.put("comparisonsOverSeeds", Comparisons.of(Comparisons.averageBySentence(runs), config.seed()));
        report.put("runs", runs);
        return report;
    }

    public Map<String, Object> run(LabelledCorpus corpus, String name) throws IOException {
        long began = System.nanoTime();
        List<LabelledSentence> train = config.maxTrain() > 0 && config.maxTrain() < corpus.train().size()
                ? corpus.train().subList(0, config.maxTrain()) : corpus.train();
        List<LabelledSentence> valid = corpus.valid().isEmpty() ? corpus.test() : corpus.valid();
        List<LabelledSentence> test = corpus.test();
        progress.println(corpus.describe(name) + (train.size() < corpus.train().size()
                ? " (training on the first " + train.size() + ")" : ""));
        int heldBack = (int) Math.round(train.size() * config.feedbackShare());
        List<LabelledSentence> pretraining = train.subList(0, train.size() - heldBack);
        if (config.feedbackShare() > 0 && (heldBack < config.rounds() || heldBack == train.size())) {
            throw new IllegalArgumentException("a feedback share of " + config.feedbackShare() + " holds back "
                    + heldBack + " of " + train.size() + " training sentences: the baseline and each of the "
                    + config.rounds() + " rounds need some");
        }
        List<LabelledSentence> feedback = heldBack == 0 ? train : train.subList(train.size() - heldBack, train.size());
        if (heldBack > 0) {
            progress.printf(Locale.ROOT, "baseline on the first %d training sentences; the rounds get feedback on "
                    + "the other %d%n", pretraining.size(), feedback.size());
        }

        Map<String, Object> models = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t = System.nanoTime();
        byte[] nll = trainMaximumLikelihood(pretraining, valid, corpus);
        seconds.put("nll", elapsed(t));
        models.put("nll", evaluate("nll", nll, valid, test));

        // Without rounds the run measures the baseline alone.
        for (Variant variant : config.rounds() > 0 ? Variant.values() : new Variant[0]) {
            t = System.nanoTime();
            List<Setting> settings = settings(variant);
            List<Map<String, Object>> tried = new ArrayList<>();
            Trained chosen = trainAndChooseOnValid(nll, feedback, valid, variant, settings, tried);
            Map<String, Object> evaluated = evaluate(variant.label, chosen.model(), valid, test);
            evaluated.put("rounds", chosen.roundLog());
            if (settings.size() > 1) {
                if (variant != Variant.NLL_CONTINUED) {
                    evaluated.put("objective", objectiveMap(chosen.setting().objective()));
                }
                if (choosesAddReference(variant)) {
                    evaluated.put("addReference", chosen.setting().addReference());
                }
                if (config.interpolations().size() > 1) {
                    evaluated.put("interpolation", chosen.setting().interpolation());
                }
                evaluated.put("objectivesTried", tried);
            }
            models.put(variant.label, evaluated);
            seconds.put(variant.label, elapsed(t));
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("data", name);
        report.put("train", train.size());
        report.put("pretraining", pretraining.size());
        report.put("feedback", feedback.size());
        report.put("valid", valid.size());
        report.put("test", test.size());
        report.put("config", configMap());
        report.put("models", models);
        report.put("comparisons", Comparisons.of(Comparisons.bySentence(models), config.seed()));
        report.put("trainingSeconds", seconds);
        report.put("wallSeconds", elapsed(began));
        return report;
    }

    private enum Variant {
        GROOT("groot"), NO_CORRECTION("groot-no-correction"), NLL_CONTINUED("nll-continued");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    private byte[] trainMaximumLikelihood(List<LabelledSentence> train, List<LabelledSentence> valid,
                                          LabelledCorpus corpus) throws IOException {
        List<List<String>> texts = new ArrayList<>();
        Stream.of(corpus.train(), corpus.valid()).flatMap(List::stream).forEach(s -> texts.add(s.tokens()));
        TreeSet<String> labels = new TreeSet<>();
        Stream.of(corpus.train(), corpus.valid()).flatMap(List::stream).forEach(s -> labels.addAll(s.labels()));
        List<ContrastSet> references = references(train);
        Random random = new Random(config.seed());
        try (Labeler labeler = Labeler.create(config.architecture(), Vocabulary.build(texts, labels), config.seed());
             GrootTraining training = new GrootTraining(labeler, GrootObjective.maximumLikelihood(),
                     config.nllLearningRate(), config.weightAverage())) {
            progress.printf(Locale.ROOT, "nll: %d labels, %d tokens in the vocabulary, training on %s%n",
                    labeler.vocabulary().labelCount(), labeler.vocabulary().tokenCount(), labeler.device());
            byte[] best = null;
            double bestScore = -1;
            for (int epoch = 1; epoch <= config.nllEpochs(); epoch++) {
                long t = System.nanoTime();
                double loss = training.trainEpochs(references, 1, config.batchSize(), random);
                Checkpoint checkpoint = checkpoint(training, labeler, valid, bestScore);
                RankedEvaluation onValid = checkpoint.onValid();
                progress.printf(Locale.ROOT, "nll epoch %d/%d: loss %.4f, valid %s@1 %.4f, span F1@1 %.2f (%.0f s)%n",
                        epoch, config.nllEpochs(), loss, reward.name(), onValid.rewardAtRank()[0],
                        100 * onValid.spanF1AtOne(),
                        elapsed(t));
                if (checkpoint.model() != null) {
                    bestScore = checkpoint.score();
                    best = checkpoint.model();
                }
            }
            return best;
        }
    }

    /**
     * What one training of a variant is given: its loss, whether correction adds a missed reference, and the share
     * of each round's move from the baseline that it keeps.
     */
    private record Setting(GrootObjective objective, boolean addReference, double interpolation) {
    }

    /**
     * The settings a variant tries: every loss setting, for full GROOT every add-reference value (the others add no
     * reference), and every interpolation share; maximum likelihood has one loss.
     */
    private List<Setting> settings(Variant variant) {
        List<GrootObjective> objectives = variant == Variant.NLL_CONTINUED
                ? List.of(GrootObjective.maximumLikelihood()) : config.objectives();
        List<Boolean> addReferences = variant == Variant.GROOT ? config.addReferences() : List.of(false);
        List<Setting> settings = new ArrayList<>();
        for (GrootObjective objective : objectives) {
            for (boolean addReference : addReferences) {
                for (double interpolation : config.interpolations()) {
                    settings.add(new Setting(objective, addReference, interpolation));
                }
            }
        }
        return settings;
    }

    /** Whether {@code variant} tries both add-reference values (only full GROOT adds a reference). */
    private boolean choosesAddReference(Variant variant) {
        return variant == Variant.GROOT && config.addReferences().size() > 1;
    }

    /** A variant trained with one setting: the model of its best round on valid, and each round's figures. */
    private record Trained(Setting setting, byte[] model, double validScore, List<Map<String, Object>> roundLog) {
    }

    /**
     * The variant's rounds with each setting; the one whose best round scores highest on valid (test is not looked
     * at). What each setting scored goes to {@code tried}.
     */
    private Trained trainAndChooseOnValid(byte[] start, List<LabelledSentence> train, List<LabelledSentence> valid,
                                          Variant variant, List<Setting> settings,
                                          List<Map<String, Object>> tried) throws IOException {
        Trained chosen = null;
        boolean addReferenceTried = choosesAddReference(variant);
        for (Setting setting : settings) {
            Trained trained = rounds(start, train, valid, variant, setting);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("objective", objectiveMap(setting.objective()));
            if (addReferenceTried) {
                figures.put("addReference", setting.addReference());
            }
            if (config.interpolations().size() > 1) {
                figures.put("interpolation", setting.interpolation());
            }
            figures.put("validScore", trained.validScore());
            tried.add(figures);
            if (chosen == null || trained.validScore() > chosen.validScore()) {
                chosen = trained;
            }
        }
        if (settings.size() > 1) {
            String loss = variant == Variant.NLL_CONTINUED ? "" : String.format(Locale.ROOT, "tau %s, lambda %s, ",
                    chosen.setting().objective().tau(), chosen.setting().objective().lambda());
            progress.printf(Locale.ROOT, "%s: %s%sinterpolation %s chosen on valid (%s %.4f)%n", variant.label, loss,
                    addReferenceTried ? "add-reference " + chosen.setting().addReference() + ", " : "",
                    chosen.setting().interpolation(), config.selection(), chosen.validScore());
        }
        return chosen;
    }

    /** The variant's rounds from {@code start} with {@code setting}. */
    private Trained rounds(byte[] start, List<LabelledSentence> train, List<LabelledSentence> valid, Variant variant,
                           Setting setting) throws IOException {
        List<Map<String, Object>> log = new ArrayList<>();
        // Common random numbers: every variant shuffles and drops out alike, so variants given the same sets
        // train the same model and their differences are the variant's own.
        Random random = new Random(config.seed());
        Labeler.seedRandom(config.seed());
        ContrastSetBuilder builder = new ContrastSetBuilder(reward, new Corrector(config.maxCorrections()),
                variant == Variant.GROOT, setting.addReference());
        float rate = variant == Variant.NLL_CONTINUED ? config.nllLearningRate() : config.grootLearningRate();
        try (Labeler labeler = LabelerArtifact.fromBytes(start);
             GrootTraining training = new GrootTraining(labeler, setting.objective(), rate, config.weightAverage());
             WeightInterpolation towardStart = setting.interpolation() < 1 ? new WeightInterpolation(labeler) : null) {
            byte[] best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int round = 1; round <= config.rounds(); round++) {
                long t = System.nanoTime();
                List<LabelledSentence> sentences = roundSentences(train, round);
                int r = round;
                // Candidates come from the model the previous round gave, as the stream's come from the served one.
                List<ContrastSet> sets = variant == Variant.NLL_CONTINUED ? references(sentences)
                        : training.averaged(() -> OfflineRound.contrastSets(labeler, r, sentences,
                        config.trainingCandidates(), builder, 64));
                double loss = training.trainEpochs(sets, 1, config.batchSize(), random);
                if (towardStart != null) {
                    towardStart.pullBack((float) setting.interpolation());
                }
                Checkpoint checkpoint = checkpoint(training, labeler, valid, bestScore);
                RankedEvaluation onValid = checkpoint.onValid();
                double members = sets.stream().mapToInt(s -> s.getMembers().size()).average().orElse(0);
                double corrected = perSet(sets, Origin.CORRECTED);
                // A reference member means the model's top candidates missed it: the hard sets.
                double referenceAdded = perSet(sets, Origin.REFERENCE);
                progress.printf(Locale.ROOT, "%s round %d/%d: %.2f members per set (%.2f corrected, %.2f reference "
                                + "added), loss %.4f, valid %s@1 %.4f, span F1@1 %.2f (%.0f s)%n", variant.label, round,
                        config.rounds(), members, corrected, referenceAdded, loss, reward.name(),
                        onValid.rewardAtRank()[0], 100 * onValid.spanF1AtOne(), elapsed(t));
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("round", round);
                figures.put("sets", sets.size());
                figures.put("membersPerSet", members);
                figures.put("correctedPerSet", corrected);
                figures.put("referenceAddedPerSet", referenceAdded);
                figures.put("loss", loss);
                figures.put("validRewardAtOne", onValid.rewardAtRank()[0]);
                figures.put("validSpanF1AtOne", onValid.spanF1AtOne());
                log.add(figures);
                if (checkpoint.model() != null) {
                    bestScore = checkpoint.score();
                    best = checkpoint.model();
                }
            }
            return new Trained(setting, best, bestScore, log);
        }
    }

    /**
     * What round r trains on: the baseline's own sentences, every round; or, with feedback held back, the r-th of
     * as many equal parts as there are rounds, so each round's model meets new text, as each version does in the
     * stream.
     */
    private List<LabelledSentence> roundSentences(List<LabelledSentence> sentences, int round) {
        if (config.feedbackShare() == 0) {
            return sentences;
        }
        return sentences.subList((round - 1) * sentences.size() / config.rounds(),
                round * sentences.size() / config.rounds());
    }

    /** The model on test, with the outside bias valid chooses for it if the config says so. */
    private Map<String, Object> evaluate(String name, byte[] model, List<LabelledSentence> valid,
                                         List<LabelledSentence> test) throws IOException {
        try (Labeler labeler = LabelerArtifact.fromBytes(model)) {
            OutsideBiasCalibration.Choice calibration = null;
            if (config.calibrateOutsideBias()) {
                calibration = OutsideBiasCalibration.choose(bias -> {
                    labeler.setOutsideBias(bias);
                    return selectionScore(onValid(labeler, valid));
                });
                labeler.setOutsideBias(calibration.bias());
                progress.printf(Locale.ROOT, "%s: outside bias %.2f chosen on valid (%s %.4f; %.4f without)%n", name,
                        calibration.bias(), config.selection(), calibration.score(), calibration.tried().get(0f));
            }
            RankedEvaluation evaluation = RankedEvaluation.of(labeler, test, config.k(), reward, 64);
            progress.printf(Locale.ROOT, "%s on test: %s@1 %.4f, mean-of-%d %.4f, span F1@1 %.2f%n", name,
                    reward.name(), evaluation.rewardAtRank()[0], config.k(), evaluation.meanOfK(),
                    100 * evaluation.spanF1AtOne());
            Map<String, Object> out = evaluation.toMap();
            Map<String, List<Double>> bySentence = new LinkedHashMap<>();
            evaluation.bySentence().forEach((metric, values) ->
                    bySentence.put(metric, Arrays.stream(values).boxed().toList()));
            if (calibration != null) {
                out.put("outsideBias", calibration.bias());
                Map<String, Double> tried = new LinkedHashMap<>();
                calibration.tried().forEach((bias, score) -> tried.put(Float.toString(bias), score));
                out.put("outsideBiasValid", tried);
            }
            out.put(Comparisons.BY_SENTENCE, bySentence);
            return out;
        }
    }

    /** A model judged on valid: its evaluation, its score, and its bytes if it beat the best so far (else null). */
    private record Checkpoint(RankedEvaluation onValid, double score, byte[] model) {
    }

    /** Judges the model the training gives (its weight average, if it keeps one) and saves it if it is the best. */
    private Checkpoint checkpoint(GrootTraining training, Labeler labeler, List<LabelledSentence> valid,
                                  double bestScore) throws IOException {
        return training.averaged(() -> {
            RankedEvaluation onValid = onValid(labeler, valid);
            double score = selectionScore(onValid);
            return new Checkpoint(onValid, score, score > bestScore ? LabelerArtifact.toBytes(labeler) : null);
        });
    }

    /** Rank 1 of the beam that is reported on test: greedy decoding can differ from a beam's best. */
    private RankedEvaluation onValid(Labeler labeler, List<LabelledSentence> valid) {
        return RankedEvaluation.of(labeler, valid, config.k(), reward, 64);
    }

    /** What the valid split is judged by: corpus span F1 at rank 1 (the headline), or the mean reward at rank 1. */
    private double selectionScore(RankedEvaluation onValid) {
        return QualityBenchmarkConfig.SELECT_SPAN_F1.equals(config.selection()) ? onValid.spanF1AtOne()
                : onValid.rewardAtRank()[0];
    }

    private static double perSet(List<ContrastSet> sets, Origin origin) {
        return sets.stream().mapToLong(s -> s.getMembers().stream().filter(m -> m.getOrigin() == origin).count())
                .average().orElse(0);
    }

    private static List<ContrastSet> references(List<LabelledSentence> sentences) {
        List<ContrastSet> sets = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            sets.add(GrootTraining.referenceOnly("s" + i, sentences.get(i).tokens(), sentences.get(i).labels()));
        }
        return sets;
    }

    private Map<String, Object> configMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reward", config.reward());
        out.put("k", config.k());
        out.put("trainingCandidates", config.trainingCandidates());
        out.put("nllEpochs", config.nllEpochs());
        out.put("rounds", config.rounds());
        if (config.objectives().size() == 1) {
            out.putAll(objectiveMap(config.objectives().get(0)));
        } else {
            out.put("objectives", config.objectives().stream().map(QualityBenchmark::objectiveMap).toList());
        }
        out.put("maxCorrections", config.maxCorrections());
        out.put("addReference", config.addReferences().size() == 1 ? config.addReferences().get(0)
                : config.addReferences());
        out.put("nllLearningRate", config.nllLearningRate());
        out.put("grootLearningRate", config.grootLearningRate());
        out.put("batchSize", config.batchSize());
        out.put("seed", config.seed());
        out.put("feedbackShare", config.feedbackShare());
        out.put("selection", config.selection());
        out.put("weightAverage", config.weightAverage());
        out.put("interpolations", config.interpolations());
        out.put("calibrateOutsideBias", config.calibrateOutsideBias());
        out.put("architecture", config.architecture().toProperties());
        return out;
    }

    private static Map<String, Object> objectiveMap(GrootObjective objective) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tau", objective.tau());
        out.put("alpha", objective.alpha());
        out.put("lambda", objective.lambda());
        return out;
    }

    private static double elapsed(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
