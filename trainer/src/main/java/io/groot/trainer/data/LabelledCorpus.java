package io.groot.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A labelled data set with train / valid / test splits, read from either of the two common layouts:
 * <ul>
 *   <li>slot-filling: {@code DIR/<split>/seq.in} (tokens), {@code seq.out} (BIO labels), optional {@code label}
 *   (intent), line-aligned;</li>
 *   <li>CoNLL: {@code DIR/<split>.txt} (or .conll), one "token ... label" line per token (first and last
 *   columns), blank lines between sentences, {@code -DOCSTART-} lines ignored.</li>
 * </ul>
 * Splits named dev are read as valid. A missing split is empty.
 */
public record LabelledCorpus(List<LabelledSentence> train, List<LabelledSentence> valid,
                             List<LabelledSentence> test) {

    public static LabelledCorpus read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data directory not found: " + dir);
        }
        LabelledCorpus corpus = new LabelledCorpus(split(dir, "train"), orElse(split(dir, "valid"), split(dir, "dev")),
                split(dir, "test"));
        if (corpus.train.isEmpty()) {
            throw new IllegalArgumentException("no training split in " + dir + " (expected train/seq.in + "
                    + "train/seq.out, or train.txt in CoNLL format)");
        }
        return corpus;
    }

    /** Every label of every split, sorted. */
    public List<String> labelSet() {
        TreeSet<String> labels = new TreeSet<>();
        Stream.of(train, valid, test).flatMap(List::stream).forEach(s -> labels.addAll(s.labels()));
        return new ArrayList<>(labels);
    }

    private static List<LabelledSentence> orElse(List<LabelledSentence> first, List<LabelledSentence> second) {
        return first.isEmpty() ? second : first;
    }

    private static List<LabelledSentence> split(Path dir, String name) {
        Path seqIn = dir.resolve(name).resolve("seq.in");
        if (Files.exists(seqIn)) {
            return readSlotLayout(dir.resolve(name));
        }
        for (String extension : List.of(".txt", ".conll")) {
            Path conll = dir.resolve(name + extension);
            if (Files.exists(conll)) {
                return readConll(conll);
            }
        }
        return List.of();
    }

    /** The seq.in / seq.out / label layout of one split directory. */
    public static List<LabelledSentence> readSlotLayout(Path splitDir) {
        List<String> inputs = lines(splitDir.resolve("seq.in"));
        List<String> outputs = lines(splitDir.resolve("seq.out"));
        Path intentFile = splitDir.resolve("label");
        List<String> intents = Files.exists(intentFile) ? lines(intentFile) : List.of();
        if (inputs.size() != outputs.size()) {
            throw new IllegalArgumentException(splitDir + ": seq.in has " + inputs.size() + " lines, seq.out "
                    + outputs.size());
        }
        List<LabelledSentence> sentences = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            List<String> tokens = words(inputs.get(i));
            List<String> labels = words(outputs.get(i));
            if (tokens.isEmpty()) {
                continue;
            }
            if (tokens.size() != labels.size()) {
                throw new IllegalArgumentException(splitDir + " line " + (i + 1) + ": " + tokens.size()
                        + " tokens but " + labels.size() + " labels");
            }
            sentences.add(new LabelledSentence(tokens, labels, i < intents.size() ? intents.get(i).trim() : ""));
        }
        return sentences;
    }

    /** CoNLL columns: the first is the token, the last the label. */
    public static List<LabelledSentence> readConll(Path file) {
        List<LabelledSentence> sentences = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int lineNumber = 0;
        for (String line : lines(file)) {
            lineNumber++;
            List<String> columns = words(line);
            if (columns.isEmpty() || columns.get(0).equals("-DOCSTART-")) {
                flush(tokens, labels, sentences);
                continue;
            }
            if (columns.size() < 2) {
                throw new IllegalArgumentException(file + " line " + lineNumber + ": expected 'token label', got '"
                        + line + "'");
            }
            tokens.add(columns.get(0));
            labels.add(columns.get(columns.size() - 1));
        }
        flush(tokens, labels, sentences);
        return sentences;
    }

    private static void flush(List<String> tokens, List<String> labels, List<LabelledSentence> into) {
        if (!tokens.isEmpty()) {
            into.add(new LabelledSentence(tokens, labels, ""));
            tokens.clear();
            labels.clear();
        }
    }

    private static List<String> words(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Lower-cased description for logs: "snips: 13084 train, 700 valid, 700 test, 72 labels". */
    public String describe(String name) {
        return String.format(Locale.ROOT, "%s: %d train, %d valid, %d test, %d labels", name, train.size(),
                valid.size(), test.size(), labelSet().size());
    }
}
