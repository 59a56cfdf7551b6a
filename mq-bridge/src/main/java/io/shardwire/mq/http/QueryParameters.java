package io.shardwire.mq.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one request, read as typed values; anything malformed becomes a 400 naming the parameter,
 * what it got and what it expects.
 */
final class QueryParameters {

    private final Map<String, List<String>> values;

    QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Rejects parameters the endpoint does not take, so that a misspelt one ({@code max_records}) is not silently
     * replaced by its default.
     */
    void allowOnly(String... names) {
        Set<String> allowed = Set.of(names);
        for (String name : new TreeSet<>(values.keySet())) {
            if (!allowed.contains(name)) {
                throw new RequestException(400, "unknown query parameter '" + name + "' (this endpoint takes "
                        + (names.length == 0 ? "none" : String.join(", ", names)) + ")");
            }
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Optional<String> string(String name) {
        List<String> given = values.get(name);
        if (given == null || given.isEmpty()) {
            return Optional.empty();
        }
        if (given.size() > 1) {
            throw new RequestException(400, "query parameter " + name + " is given " + given.size() + " times "
                    + given + " (expected: once)");
        }
        return Optional.of(given.getFirst());
    }

    long requiredLong(String name, long min, long max) {
        String text = string(name).orElseThrow(() -> new RequestException(400, "query parameter " + name
                + " is required (" + range(min, max) + ")"));
        return parseLong(name, text, min, max);
    }

    long optionalLong(String name, long fallback, long min, long max) {
        Optional<String> text = string(name);
        return text.isEmpty() ? fallback : parseLong(name, text.get(), min, max);
    }

    private static long parseLong(String name, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RequestException(400, "query parameter " + name + ": '" + text + "' (expected: "
                    + range(min, max) + ")");
        }
        if (value < min || value > max) {
            throw new RequestException(400, "query parameter " + name + ": " + value + " (expected: "
                    + range(min, max) + ")");
        }
        return value;
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
    }
}
