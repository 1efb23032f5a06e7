package io.groot.ops.replay;

import io.groot.schemas.ContrastSet;
import io.groot.schemas.ModelVersion;
import io.groot.trainer.bench.RankedEvaluation;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.groot.CandidateSets;
import io.groot.trainer.groot.ContrastSetBuilder;
import io.groot.trainer.groot.InvalidFeedbackException;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.reward.RewardFunction;
import io.groot.trainer.service.TrainerConfig;
import io.groot.trainer.service.VersionTraining;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays logged feedback through the code the loop runs: candidate sets as the streams side makes them (one text
 * at a time, like the streams path), GROOT's correction ({@link ContrastSetBuilder}) and {@link VersionTraining}.
 */
public final class Replay {
    private Replay() {
    }

    /** A retrained version's training outcome, and how many logged events could not be used. */
    public record Retrained(VersionTraining.Outcome outcome, int contrastSets, int refused) {
    }

    /**
     * Scores a version without publishing anything: its top-k, re-generated for the logged texts, against the
     * logged reference labels (scalar feedback names candidates of another generation, so it is not scored).
     */
    public static RankedEvaluation evaluate(Labeler labeler, FeedbackLog log, int k, RewardFunction reward) {
        List<LabelledSentence> sentences = new ArrayList<>();
        for (FeedbackLog.Entry entry : log.entries()) {
            List<String> labels = entry.feedback().getReferenceLabels();
            if (labels != null && labels.size() == entry.tokens().size()) {
                sentences.add(new LabelledSentence(entry.tokens(), labels, null));
            }
        }
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("the log holds no reference feedback to score against");
        }
        return RankedEvaluation.of(labeler, sentences, k, reward, 32);
    }

    /**
     * The trainer settings to reproduce {@code online}, the version the loop trained from the replay's base: those
     * its record kept, over {@code defaults} (which stand alone when there is no such version or record).
     */
    public static TrainerConfig trainerOf(ModelVersion online, TrainerConfig defaults) {
        return online == null ? defaults : defaults.withTrainingSettings(online.getTrainingSettings());
    }

    /** Trains version {@code baseVersion + 1} from {@code base} (modified in place) on the whole log. */
    public static Retrained retrain(Labeler base, String modelName, long baseVersion, FeedbackLog log, int k,
                                    ContrastSetBuilder builder, TrainerConfig config) {
        List<ContrastSet> sets = new ArrayList<>();
        int refused = 0;
        for (FeedbackLog.Entry entry : log.entries()) {
            var candidates = CandidateSets.of(entry.feedback().getRequestId(), entry.tokens(), modelName,
                    baseVersion, base.topK(List.of(entry.tokens()), k).get(0), entry.feedback().getEventTime(), null);
            try {
                sets.add(builder.build(candidates, entry.feedback(), null));
            } catch (InvalidFeedbackException e) {
                refused++;
            }
        }
        return new Retrained(VersionTraining.train(base, sets, config, baseVersion + 1), sets.size(), refused);
    }
}
