package io.groot.trainer.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A labeler version as one self-describing zip: architecture, vocabularies, and DJL parameters. Entries are
 * written in a fixed order with fixed timestamps, so the same weights give the same bytes (and SHA-256).
 */
public final class LabelerArtifact {
    private static final String CONFIG = "labeler.properties";
    private static final String TOKENS = "tokens.txt";
    private static final String LABELS = "labels.txt";
    private static final String PARAMETERS = "labeler.params";
    /** Which words were trained ({@link TrainedWords}); an artifact without it reads every word it lists. */
    private static final String TRAINED_WORDS = "trained-words.bits";
    private static final String FORMAT = "groot-labeler-2";
    /** Decoding, not architecture: written only when set, so artifacts without it keep their bytes. */
    private static final String OUTSIDE_BIAS = "decoding.outsideBias";

    private LabelerArtifact() {
    }

    public static byte[] toBytes(Labeler labeler) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            Properties config = labeler.config().toProperties();
            config.setProperty("format", FORMAT);
            if (labeler.outsideBias() != 0) {
                config.setProperty(OUTSIDE_BIAS, Float.toString(labeler.outsideBias()));
            }
            StringWriter configText = new StringWriter();
            config.store(configText, null);
            write(zip, CONFIG, stripDateComment(configText.toString()).getBytes(StandardCharsets.UTF_8));
            write(zip, TOKENS, lines(labeler.vocabulary().tokens()));
            write(zip, LABELS, lines(labeler.vocabulary().labels()));
            write(zip, TRAINED_WORDS, labeler.trainedWords().toBytes());
            ByteArrayOutputStream parameters = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(parameters)) {
                labeler.saveParameters(out);
            }
            write(zip, PARAMETERS, parameters.toByteArray());
        }
        return bytes.toByteArray();
    }

    public static Labeler fromBytes(byte[] artifact) throws IOException {
        Properties config = null;
        List<String> tokens = null;
        List<String> labels = null;
        byte[] parameters = null;
        byte[] trainedWords = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(artifact))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                byte[] content = zip.readAllBytes();
                switch (entry.getName()) {
                    case CONFIG -> {
                        config = new Properties();
                        config.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
                    }
                    case TOKENS -> tokens = readLines(content);
                    case LABELS -> labels = readLines(content);
                    case PARAMETERS -> parameters = content;
                    case TRAINED_WORDS -> trainedWords = content;
                    default -> throw new IOException("unexpected entry in labeler artifact: " + entry.getName());
                }
            }
        }
        if (config == null || tokens == null || labels == null || parameters == null) {
            throw new IOException("labeler artifact is incomplete (needs " + List.of(CONFIG, TOKENS, LABELS, PARAMETERS)
                    + ")");
        }
        if (!FORMAT.equals(config.getProperty("format"))) {
            throw new IOException("unsupported labeler artifact format: " + config.getProperty("format"));
        }
        float outsideBias;
        try {
            outsideBias = Float.parseFloat(config.getProperty(OUTSIDE_BIAS, "0"));
        } catch (NumberFormatException e) {
            throw new IOException("labeler artifact has an unreadable " + OUTSIDE_BIAS + ": " + e.getMessage(), e);
        }
        if (!Float.isFinite(outsideBias)) {
            throw new IOException("labeler artifact has a non-finite " + OUTSIDE_BIAS + ": " + outsideBias);
        }
        try (InputStream in = new ByteArrayInputStream(parameters)) {
            Vocabulary vocabulary = new Vocabulary(tokens, labels);
            Labeler labeler = Labeler.load(LabelerConfig.fromProperties(config), vocabulary,
                    trainedWords == null ? TrainedWords.all(vocabulary.tokenCount())
                            : TrainedWords.fromBytes(trainedWords), new DataInputStream(in));
            labeler.setOutsideBias(outsideBias);
            return labeler;
        }
    }

    private static void write(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0L);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] lines(List<String> values) {
        return (String.join("\n", values) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> readLines(byte[] content) {
        List<String> out = new ArrayList<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n", -1)) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    private static String stripDateComment(String properties) {
        StringBuilder out = new StringBuilder();
        for (String line : properties.split("\n")) {
            if (!line.startsWith("#")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
