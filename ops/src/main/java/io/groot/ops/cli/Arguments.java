package io.groot.ops.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --name=value} options, and value-less flags ({@code --json}); unknown or unused
 * options are an error.
 */
final class Arguments {
    private static final Set<String> FLAGS = Set.of("json");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    private final Map<String, String> clientConfig = new HashMap<>();

    Arguments(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --)");
            }
            String name = arg.substring(2);
            String value;
            if (FLAGS.contains(name)) {
                value = "true";
            } else if (name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            if (name.equals("kafka")) {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--kafka takes key=value, got '" + value + "'");
                }
                clientConfig.put(value.substring(0, eq), value.substring(eq + 1));
            } else {
                values.put(name, value);
            }
        }
    }

    String string(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = string(name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    long longNumber(String name, long fallback) {
        String value = string(name, null);
        return value == null ? fallback : Long.parseLong(value);
    }

    double number(String name, double fallback) {
        String value = string(name, null);
        return value == null ? fallback : Double.parseDouble(value);
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    Map<String, String> clientConfig() {
        return clientConfig;
    }

    void requireAllUsed() {
        for (String name : values.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }
}
