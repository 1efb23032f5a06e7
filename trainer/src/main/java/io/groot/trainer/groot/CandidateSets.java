package io.groot.trainer.groot;

import io.groot.schemas.Candidate;
import io.groot.schemas.CandidateSet;
import io.groot.schemas.TopicOffset;
import io.groot.trainer.model.ScoredSequence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the CandidateSet record of a model's top-k for one text: streams and replay make them the same way. */
public final class CandidateSets {
    private CandidateSets() {
    }

    /** @param textSource where the text was read, or null (replay) */
    public static CandidateSet of(String requestId, List<String> tokens, String modelName, long version,
                                  List<ScoredSequence> ranked, Instant textEventTime, TopicOffset textSource) {
        List<Candidate> candidates = new ArrayList<>(ranked.size());
        for (ScoredSequence sequence : ranked) {
            candidates.add(new Candidate(sequence.rank(), sequence.labels(), sequence.logProb()));
        }
        return CandidateSet.newBuilder()
                .setRequestId(requestId)
                .setTokens(tokens)
                .setModelName(modelName)
                .setModelVersion(version)
                .setCandidates(candidates)
                .setTextEventTime(textEventTime)
                .setGeneratedAt(Instant.now())
                .setTextSource(textSource)
                .build();
    }
}
