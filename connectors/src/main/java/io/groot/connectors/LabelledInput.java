package io.groot.connectors;

import io.groot.schemas.RewardEvent;
import io.groot.schemas.TextEvent;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one input record by record, counting the lines it consumed: JSON lines, the {@code seq.in}/{@code seq.out}
 * layout (a directory), or CoNLL two-column files (token ... label, a blank line between sentences). Request ids
 * of the two labelled layouts are {@code prefix + line number}, the same for the texts and the feedback read
 * from one input, so they join.
 */
abstract class LabelledInput implements Closeable {
    enum Kind { TEXTS, REWARDS }

    enum Format { JSONL, SEQ, CONLL }

    protected final Kind kind;
    protected final String prefix;
    protected long position;

    private LabelledInput(Kind kind, String prefix) {
        this.kind = kind;
        this.prefix = prefix;
    }

    /** Opens {@code path} and skips the {@code resumeAt} lines a previous task already sent. */
    static LabelledInput open(Format format, Kind kind, Path path, String prefix, long resumeAt) throws IOException {
        LabelledInput input = switch (format) {
            case JSONL -> new JsonLines(kind, prefix, path);
            case SEQ -> new SeqLayout(kind, prefix, path);
            case CONLL -> new Conll(kind, prefix, path);
        };
        input.skip(resumeAt);
        return input;
    }

    /** The next record, or null if there is no complete one (yet). */
    abstract FileEntry next() throws IOException;

    abstract void skip(long lines) throws IOException;

    long position() {
        return position;
    }

    protected FileEntry labelled(long line, String raw, List<String> tokens, List<String> labels) {
        String requestId = prefix + line;
        long now = System.currentTimeMillis();
        if (kind == Kind.TEXTS) {
            return FileEntry.text(line, position, raw, TextEvent.newBuilder().setRequestId(requestId)
                    .setText(String.join(" ", tokens)).setTokens(tokens).setEventTime(Instant.ofEpochMilli(now))
                    .build());
        }
        if (labels.size() != tokens.size()) {
            return FileEntry.malformed(line, position, raw, tokens.size() + " tokens but " + labels.size()
                    + " labels");
        }
        return FileEntry.reward(line, position, raw, RewardEvent.newBuilder().setRequestId(requestId)
                .setEventId(requestId + "/reference").setSource("file").setEventTime(Instant.ofEpochMilli(now))
                .setReferenceLabels(labels).build());
    }

    private static BufferedReader reader(Path path) throws IOException {
        return Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }

    private static List<String> words(String line) {
        String trimmed = line.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    /** An input that is one file read line by line. */
    private abstract static class OneFile extends LabelledInput {
        protected final BufferedReader in;

        OneFile(Kind kind, String prefix, Path path) throws IOException {
            super(kind, prefix);
            this.in = reader(path);
        }

        @Override
        void skip(long lines) throws IOException {
            while (position < lines && in.readLine() != null) {
                position++;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** One JSON object per line; blank lines are skipped. */
    private static final class JsonLines extends OneFile {
        JsonLines(Kind kind, String prefix, Path path) throws IOException {
            super(kind, prefix, path);
        }

        @Override
        FileEntry next() throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                long number = ++position;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    long now = System.currentTimeMillis();
                    return kind == Kind.TEXTS
                            ? FileEntry.text(number, position, line, FeedbackJson.text(line, now))
                            : FileEntry.reward(number, position, line,
                            FeedbackJson.reward(line, prefix + number, now));
                } catch (IOException e) {
                    return FileEntry.malformed(number, position, line, e.getMessage());
                }
            }
            return null;
        }

    }

    /** {@code dir/seq.in} (tokens) and {@code dir/seq.out} (labels), line by line in step. */
    private static final class SeqLayout extends LabelledInput {
        private final BufferedReader tokens;
        private final BufferedReader labels;

        SeqLayout(Kind kind, String prefix, Path dir) throws IOException {
            super(kind, prefix);
            this.tokens = reader(dir.resolve("seq.in"));
            this.labels = reader(dir.resolve("seq.out"));
        }

        @Override
        FileEntry next() throws IOException {
            String in = tokens.readLine();
            String out = labels.readLine();
            if (in == null || out == null) {
                return null;
            }
            long number = ++position;
            List<String> words = words(in);
            if (words.isEmpty()) {
                return FileEntry.malformed(number, position, in, "empty line in seq.in");
            }
            return labelled(number, in + "\t" + out, words, words(out));
        }

        @Override
        void skip(long lines) throws IOException {
            while (position < lines && tokens.readLine() != null && labels.readLine() != null) {
                position++;
            }
        }

        @Override
        public void close() throws IOException {
            try (tokens; labels) {
                // both closed
            }
        }
    }

    /** CoNLL: one token per line, its label in the last column; sentences end at a blank line. */
    private static final class Conll extends OneFile {
        Conll(Kind kind, String prefix, Path path) throws IOException {
            super(kind, prefix, path);
        }

        @Override
        FileEntry next() throws IOException {
            List<String> tokens = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            StringBuilder raw = new StringBuilder();
            long first = -1;
            String error = null;
            String line;
            while ((line = in.readLine()) != null) {
                position++;
                if (line.isBlank() || line.startsWith("-DOCSTART-")) {
                    if (first < 0) {
                        continue;
                    }
                    return error != null ? FileEntry.malformed(first, position, raw.toString(), error)
                            : labelled(first, raw.toString(), tokens, labels);
                }
                if (first < 0) {
                    first = position;
                }
                raw.append(line).append('\n');
                List<String> columns = words(line);
                if (columns.size() < 2 && error == null) {
                    error = "line " + position + ": expected 'token ... label', got '" + line + "'";
                }
                tokens.add(columns.get(0));
                labels.add(columns.get(columns.size() - 1));
            }
            // A sentence without its closing blank line is complete only at the end of the file.
            return first < 0 ? null : error != null ? FileEntry.malformed(first, position, raw.toString(), error)
                    : labelled(first, raw.toString(), tokens, labels);
        }

    }
}
