package io.groot.trainer.model;

import java.util.List;

/** A label sequence with its model log-probability; rank 1 is the model's best. */
public record ScoredSequence(int rank, List<String> labels, double logProb) {
}
