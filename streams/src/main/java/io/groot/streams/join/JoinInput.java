package io.groot.streams.join;

import io.groot.schemas.CandidateSet;
import io.groot.schemas.RewardEvent;

/**
 * What the reward join reads: the candidates or the feedback of one request (exactly one is set), parsed, with
 * the bytes it arrived as, so that a record that never joins reaches the dead-letter topic untouched.
 */
record JoinInput(CandidateSet candidates, RewardEvent feedback, byte[] original) {

    static JoinInput ofCandidates(CandidateSet candidates, byte[] original) {
        return new JoinInput(candidates, null, original);
    }

    static JoinInput ofFeedback(RewardEvent feedback, byte[] original) {
        return new JoinInput(null, feedback, original);
    }

    boolean isFeedback() {
        return feedback != null;
    }
}
