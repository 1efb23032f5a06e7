package io.groot.trainer.groot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The GROOT contrast loss over a batch of B contrast sets of (padded) size C.
 *
 * <p>Predictions: the labeler's per-token log-probabilities [B*C, T, L]. Labels, in order: member label ids
 * [B*C, T], token mask [B*C, T], target distribution q [B, C], member mask [B, C], reference indicator [B, C].
 * Per set: -sum_y q(y) log softmax_y(s(y)) + lambda * -log p(reference | x), averaged over the batch.
 */
public final class GrootLoss extends Loss {
    private static final float MASKED_SCORE = 1e9f;
    private final GrootObjective objective;

    public GrootLoss(GrootObjective objective) {
        super("groot");
        this.objective = objective;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logProbs = predictions.head();
        NDArray target = labels.get(0);
        NDArray tokenMask = labels.get(1);
        NDArray q = labels.get(2);
        NDArray memberMask = labels.get(3);
        NDArray reference = labels.get(4);
        long sets = q.getShape().get(0);
        long members = q.getShape().get(1);

        NDArray tokenLogProbs = logProbs.gather(target.expandDims(-1), -1).squeeze(-1).mul(tokenMask);
        NDArray sequenceLogProbs = tokenLogProbs.sum(new int[]{1}).reshape(sets, members);
        NDArray scores = sequenceLogProbs;
        if (objective.alpha() > 0) {
            NDArray lengths = tokenMask.sum(new int[]{1}).reshape(sets, members).maximum(1f);
            scores = scores.div(lengths.pow(objective.alpha()));
        }
        // Padding members get a score of -1e9: no probability mass, no gradient.
        NDArray modelLogDistribution = scores.add(memberMask.sub(1f).mul(MASKED_SCORE)).logSoftmax(1);
        NDArray contrast = q.mul(modelLogDistribution).sum(new int[]{1}).neg();
        NDArray referenceNll = sequenceLogProbs.mul(reference).sum(new int[]{1}).neg();
        return contrast.add(referenceNll.mul((float) objective.lambda())).mean();
    }
}
