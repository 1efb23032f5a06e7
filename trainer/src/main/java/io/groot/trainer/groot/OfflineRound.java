package io.groot.trainer.groot;

import io.groot.schemas.Candidate;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.ContrastSet;
import io.groot.schemas.RewardEvent;
import io.groot.trainer.data.LabelledSentence;
import io.groot.trainer.model.Labeler;
import io.groot.trainer.model.ScoredSequence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GROOT's generate and correct steps over a labelled data set, offline: the current model's top-k for every
 * sentence, turned into contrast sets by the same {@link ContrastSetBuilder} the streaming join uses.
 */
public final class OfflineRound {
    private OfflineRound() {
    }

    public static List<ContrastSet> contrastSets(Labeler labeler, long version, List<LabelledSentence> sentences,
                                                 int k, ContrastSetBuilder builder, int batchSize) {
        List<ContrastSet> sets = new ArrayList<>(sentences.size());
        for (int from = 0; from < sentences.size(); from += batchSize) {
            List<LabelledSentence> batch = sentences.subList(from, Math.min(sentences.size(), from + batchSize));
            List<List<ScoredSequence>> topK = labeler.topK(batch.stream().map(LabelledSentence::tokens).toList(), k);
            for (int i = 0; i < batch.size(); i++) {
                String id = "s" + (from + i);
                LabelledSentence sentence = batch.get(i);
                List<Candidate> candidates = new ArrayList<>();
                topK.get(i).forEach(c -> candidates.add(new Candidate(c.rank(), c.labels(), c.logProb())));
                CandidateSet generated = CandidateSet.newBuilder().setRequestId(id).setTokens(sentence.tokens())
                        .setModelName("offline").setModelVersion(version).setCandidates(candidates)
                        .setTextEventTime(Instant.EPOCH).setGeneratedAt(Instant.EPOCH).build();
                RewardEvent feedback = RewardEvent.newBuilder().setRequestId(id).setEventId(id).setSource("offline")
                        .setEventTime(Instant.EPOCH).setReferenceLabels(sentence.labels()).build();
                sets.add(builder.build(generated, feedback, null));
            }
        }
        return sets;
    }
}
