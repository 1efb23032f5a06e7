package io.groot.trainer.reward;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** A black-box reward R(candidate, reference) in [0, 1]; both are label sequences of the same length. */
public interface RewardFunction {

    double reward(List<String> candidate, List<String> reference);

    /** R(., reference) for scoring many candidates against one reference (a function may parse it once). */
    default ToDoubleFunction<List<String>> against(List<String> reference) {
        return candidate -> reward(candidate, reference);
    }

    /** Stable name, recorded with every contrast set (e.g. "f0.5", "token-accuracy"). */
    String name();

    /** Parses "f0.5" / "f1" / "f2" (span F-beta), "token-accuracy", "exact-match". */
    static RewardFunction parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("f") && s.length() > 1 && (Character.isDigit(s.charAt(1)) || s.charAt(1) == '.')) {
            return new SpanFBeta(Double.parseDouble(s.substring(1)));
        }
        return switch (s) {
            case "token-accuracy", "accuracy" -> new TokenAccuracy();
            case "exact-match", "exact" -> new ExactMatch();
            default -> throw new IllegalArgumentException("unknown reward '" + spec
                    + "' (use fBETA such as f0.5 or f1, token-accuracy, exact-match)");
        };
    }

    static void requireSameLength(List<String> candidate, List<String> reference) {
        if (candidate.size() != reference.size()) {
            throw new IllegalArgumentException("candidate has " + candidate.size() + " labels, reference "
                    + reference.size());
        }
    }
}
