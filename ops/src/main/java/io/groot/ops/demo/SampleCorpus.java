package io.groot.ops.demo;

import io.groot.trainer.data.LabelledCorpus;
import io.groot.trainer.data.LabelledSentence;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The labelled sample the demo runs on when no --data is given: travel and music requests built from templates
 * with slot values (multi-word values give I- labels), BIO-tagged. Deterministic for a seed.
 */
public final class SampleCorpus {
    private static final String[] CITIES = {"boston", "denver", "new york", "san francisco", "los angeles",
            "seattle", "chicago", "salt lake city", "dallas", "atlanta", "las vegas", "miami", "portland"};
    private static final String[] DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sunday", "tomorrow", "today"};
    private static final String[] TIMES = {"morning", "afternoon", "evening", "night"};
    private static final String[] ARTISTS = {"miles davis", "adele", "the beatles", "nina simone", "queen",
            "john coltrane", "taylor swift", "bob marley"};
    private static final String[] GENRES = {"jazz", "rock", "pop", "reggae", "blues", "classical"};
    private static final String[] AIRLINES = {"delta", "united", "american airlines", "alaska airlines"};

    /** Template words: {slot:values} fills a slot, anything else is an O token. */
    private static final String[][] TEMPLATES = {
            {"show", "me", "flights", "from", "{fromloc:city}", "to", "{toloc:city}"},
            {"i", "want", "to", "fly", "from", "{fromloc:city}", "to", "{toloc:city}", "on", "{depart_day:day}"},
            {"book", "a", "{airline:airline}", "flight", "to", "{toloc:city}", "{depart_day:day}"},
            {"what", "flights", "leave", "{fromloc:city}", "on", "{depart_day:day}", "{depart_time:time}"},
            {"list", "{airline:airline}", "flights", "from", "{fromloc:city}", "to", "{toloc:city}"},
            {"what", "is", "the", "weather", "in", "{city:city}", "{date:day}"},
            {"will", "it", "rain", "in", "{city:city}", "on", "{date:day}", "{time:time}"},
            {"play", "some", "{genre:genre}", "by", "{artist:artist}"},
            {"play", "{artist:artist}"},
            {"put", "on", "{genre:genre}", "music"},
            {"i", "need", "a", "cheap", "flight", "to", "{toloc:city}", "this", "{depart_time:time}"},
            // The same words get different labels by context: the model must read more than the word.
            {"flights", "to", "{toloc:city}", "from", "{fromloc:city}", "returning", "{return_day:day}"},
            {"arriving", "in", "{toloc:city}", "on", "{arrive_day:day}", "{arrive_time:time}"},
            {"leaving", "{fromloc:city}", "{depart_day:day}", "and", "coming", "back", "{return_day:day}"},
            {"i", "am", "in", "{city:city}", "and", "need", "to", "be", "in", "{toloc:city}", "by",
                    "{arrive_day:day}"},
            {"is", "there", "a", "{airline:airline}", "flight", "{depart_day:day}", "{depart_time:time}", "from",
                    "{fromloc:city}"},
    };

    private SampleCorpus() {
    }

    public static LabelledCorpus generate(int trainSize, int testSize, long seed) {
        Random random = new Random(seed);
        return new LabelledCorpus(sentences(trainSize, random), List.of(), sentences(testSize, random));
    }

    private static List<LabelledSentence> sentences(int count, Random random) {
        List<LabelledSentence> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int templateIndex = random.nextInt(TEMPLATES.length);
            String[] template = TEMPLATES[templateIndex];
            List<String> tokens = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String word : template) {
                if (!word.startsWith("{")) {
                    tokens.add(word);
                    labels.add("O");
                    continue;
                }
                String[] slot = word.substring(1, word.length() - 1).split(":");
                String[] value = pick(slot[1], random).split(" ");
                for (int w = 0; w < value.length; w++) {
                    tokens.add(value[w]);
                    labels.add((w == 0 ? "B-" : "I-") + slot[0]);
                }
            }
            out.add(new LabelledSentence(tokens, labels, "template-" + templateIndex));
        }
        return out;
    }

    private static String pick(String kind, Random random) {
        String[] values = switch (kind) {
            case "city" -> CITIES;
            case "day" -> DAYS;
            case "time" -> TIMES;
            case "artist" -> ARTISTS;
            case "genre" -> GENRES;
            case "airline" -> AIRLINES;
            default -> throw new IllegalArgumentException("no values for slot kind " + kind);
        };
        return values[random.nextInt(values.length)];
    }
}
