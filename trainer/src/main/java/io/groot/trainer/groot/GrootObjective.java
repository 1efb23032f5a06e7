package io.groot.trainer.groot;

/**
 * The contrast loss's knobs (see docs/GROOT.md): target q = softmax(R / tau); model scores
 * s(y) = log p(y|x) / length^alpha; loss = KL(q || softmax(s)) + lambda * NLL(reference).
 */
public record GrootObjective(double tau, double alpha, double lambda) {

    public GrootObjective {
        if (!(tau > 0)) {
            throw new IllegalArgumentException("tau must be positive, got " + tau);
        }
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("alpha must be >= 0, got " + alpha);
        }
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
        }
    }

    public static GrootObjective defaults() {
        return new GrootObjective(0.1, 0.0, 0.5);
    }

    /** Plain maximum likelihood on references: what pre-training and the NLL baseline use. */
    public static GrootObjective maximumLikelihood() {
        return new GrootObjective(1.0, 0.0, 1.0);
    }
}
