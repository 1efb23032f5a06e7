package io.groot.trainer.model;

/**
 * The case and shape class of a token, the strongest entity cue in cased text that the lower-cased word id throws
 * away ("Apple" and "apple" share a word id, not a shape). Ids start at 1; 0 pads.
 */
public enum WordShape {
    LOWER, CAPITALIZED, ALL_CAPS, SINGLE_CAPITAL, MIXED_CASE, DIGITS, DIGITS_AND_PUNCTUATION, ALPHANUMERIC,
    PUNCTUATION, MENTION, HASHTAG, URL, CAPITALIZED_WITH_PUNCTUATION, LOWER_WITH_PUNCTUATION, NON_LATIN, OTHER;

    /** Ids 1..{@link #count()}; 0 is left for padding. */
    public static int count() {
        return values().length;
    }

    public int id() {
        return ordinal() + 1;
    }

    public static WordShape of(String token) {
        if (token.startsWith("@")) {
            return MENTION;
        }
        if (token.startsWith("#") && token.length() > 1) {
            return HASHTAG;
        }
        String lower = token.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("www.")) {
            return URL;
        }
        int upper = 0;
        int lowerCase = 0;
        int digits = 0;
        int punctuation = 0;
        int other = 0;
        for (int i = 0; i < token.length(); ) {
            int c = token.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isUpperCase(c)) {
                upper++;
            } else if (Character.isLowerCase(c)) {
                lowerCase++;
            } else if (Character.isDigit(c)) {
                digits++;
            } else if (c < 128) {
                punctuation++;
            } else {
                other++;
            }
        }
        int letters = upper + lowerCase;
        if (other > 0 && letters == 0) {
            return other == token.codePointCount(0, token.length()) && digits == 0 ? NON_LATIN : OTHER;
        }
        if (letters == 0) {
            if (digits == 0) {
                return PUNCTUATION;
            }
            return punctuation == 0 ? DIGITS : DIGITS_AND_PUNCTUATION;
        }
        if (digits > 0) {
            return ALPHANUMERIC;
        }
        boolean startsUpper = Character.isUpperCase(token.codePointAt(0));
        if (punctuation > 0 || other > 0) {
            return startsUpper ? CAPITALIZED_WITH_PUNCTUATION : upper == 0 ? LOWER_WITH_PUNCTUATION : MIXED_CASE;
        }
        if (upper == 0) {
            return LOWER;
        }
        if (lowerCase == 0) {
            return letters == 1 ? SINGLE_CAPITAL : ALL_CAPS;
        }
        return startsUpper && upper == 1 ? CAPITALIZED : MIXED_CASE;
    }
}
