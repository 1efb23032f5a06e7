package io.groot.trainer.reward;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Corpus-level (micro) span precision, recall and F1, as conlleval computes them: the figure published results
 * on SNIPS and ATIS report. Sentence-averaged rewards are a different number.
 */
public final class SpanCounts {
    private long predicted;
    private long gold;
    private long correct;

    public void add(List<String> prediction, List<String> reference) {
        Set<Span> p = new HashSet<>(Span.of(prediction));
        Set<Span> g = new HashSet<>(Span.of(reference));
        predicted += p.size();
        gold += g.size();
        correct += p.stream().filter(g::contains).count();
    }

    public double precision() {
        return predicted == 0 ? 0 : (double) correct / predicted;
    }

    public double recall() {
        return gold == 0 ? 0 : (double) correct / gold;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
