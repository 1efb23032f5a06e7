package io.groot.trainer.reward;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Corpus-level (micro) span precision, recall and F1, as conlleval computes them: the figure published results
 * on SNIPS and ATIS report. Sentence-averaged rewards are a different number. Kept per span type too, as conlleval
 * prints them, to see which slots a change helps or hurts.
 */
public final class SpanCounts {
    private Tally total = Tally.NONE;
    private final Map<String, Tally> byType = new TreeMap<>();

    /** Spans predicted, spans in the reference, and predicted spans that are in the reference (type and bounds). */
    public record Tally(long predicted, long gold, long correct) {
        static final Tally NONE = new Tally(0, 0, 0);

        Tally plus(Tally other) {
            return new Tally(predicted + other.predicted, gold + other.gold, correct + other.correct);
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

    public void add(List<String> prediction, List<String> reference) {
        Set<Span> p = new HashSet<>(Span.of(prediction));
        Set<Span> g = new HashSet<>(Span.of(reference));
        total = total.plus(new Tally(p.size(), g.size(), p.stream().filter(g::contains).count()));
        for (Span span : p) {
            byType.merge(span.type(), new Tally(1, 0, g.contains(span) ? 1 : 0), Tally::plus);
        }
        for (Span span : g) {
            byType.merge(span.type(), new Tally(0, 1, 0), Tally::plus);
        }
    }

    public double precision() {
        return total.precision();
    }

    public double recall() {
        return total.recall();
    }

    public double f1() {
        return total.f1();
    }

    /** The counts of each span type seen in a prediction or a reference, by type name. */
    public Map<String, Tally> byType() {
        return Collections.unmodifiableMap(byType);
    }
}
