package io.shardwire.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A YAML mapping read key by key: typed getters with defaults, "required" and "unknown key"
 * checks, and errors that name the full key path. Obtained from {@link YamlNode#asMap()}.
 */
final class YamlMap {

    private final String source;
    private final String path;
    private final Map<String, Object> fields;

    YamlMap(String source, String path, Map<String, Object> fields) {
        this.source = source;
        this.path = path;
        this.fields = fields;
    }

    /** The key path of this mapping; empty for the document itself. */
    String path() {
        return path;
    }

    /** Fails on the first key not in {@code allowed}, so that a typo is not silently ignored. */
    void onlyKeys(String... allowed) {
        checkKeys("unknown key", allowed);
    }

    /**
     * Like {@link #onlyKeys}, for a mapping whose allowed keys depend on a choice made in it:
     * {@code unknown key for a broadcast table (expected one of: kind, physicalTable)}.
     *
     * @param what what the keys are checked for, completing "unknown key for ..."
     */
    void onlyKeysFor(String what, String... allowed) {
        checkKeys("unknown key for " + what, allowed);
    }

    private void checkKeys(String problem, String... allowed) {
        List<String> expected = Arrays.asList(allowed);
        for (String key : fields.keySet()) {
            if (!expected.contains(key)) {
                throw error(key, problem + " (expected one of: " + String.join(", ", expected) + ")");
            }
        }
    }

    /** The value under {@code key}; {@link YamlNode#isAbsent() absent} if the key is missing or empty. */
    YamlNode get(String key) {
        return YamlNode.child(source, path, key, fields.get(key));
    }

    /** The value under {@code key}, which must be present. */
    YamlNode required(String key) {
        YamlNode node = get(key);
        if (node.isAbsent()) {
            throw node.error("required");
        }
        return node;
    }

    /** A required, non-empty string. */
    String string(String key) {
        return nonEmpty(required(key));
    }

    /** A non-empty string, or {@code fallback} if the key is absent. */
    String string(String key, String fallback) {
        YamlNode node = get(key);
        return node.isAbsent() ? fallback : nonEmpty(node);
    }

    /** A required string that may be empty, e.g. a password. */
    String maybeEmptyString(String key) {
        return required(key).asString();
    }

    /** A string that may be empty, or {@code fallback} if the key is absent. */
    String maybeEmptyString(String key, String fallback) {
        YamlNode node = get(key);
        return node.isAbsent() ? fallback : node.asString();
    }

    /** A required string matching {@code format} entirely. */
    String identifier(String key, Pattern format) {
        YamlNode node = required(key);
        String value = node.asString();
        if (!format.matcher(value).matches()) {
            throw node.error("must match " + format.pattern() + ", got '" + value + "'");
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        YamlNode node = get(key);
        return node.isAbsent() ? fallback : node.asBoolean();
    }

    /** A required integer accepted by {@code rule} that fits an {@code int}. */
    int intValue(String key, IntRule rule) {
        return required(key).asInt(rule);
    }

    int intValue(String key, int fallback, IntRule rule) {
        YamlNode node = get(key);
        return node.isAbsent() ? fallback : node.asInt(rule);
    }

    long longValue(String key, long fallback, IntRule rule) {
        YamlNode node = get(key);
        return node.isAbsent() ? fallback : node.asLong(rule);
    }

    /** A constant of {@code fallback}'s enum type, matched case-insensitively, or {@code fallback}. */
    <E extends Enum<E>> E enumValue(String key, E fallback) {
        YamlNode node = get(key);
        return node.isAbsent() ? fallback : node.asEnum(fallback.getDeclaringClass());
    }

    /** A required mapping. */
    YamlMap map(String key) {
        return required(key).asMap();
    }

    /** A mapping, or an empty one if the key is absent, so that an omitted section takes all its defaults. */
    YamlMap mapOrEmpty(String key) {
        return get(key).asMapOrEmpty();
    }

    /** A required list with at least one element. */
    List<YamlNode> list(String key) {
        YamlNode node = required(key);
        List<YamlNode> elements = node.asList();
        if (elements.isEmpty()) {
            throw node.error("must have at least one entry");
        }
        return elements;
    }

    /** A list, empty if the key is absent. */
    List<YamlNode> optionalList(String key) {
        YamlNode node = get(key);
        return node.isAbsent() ? List.of() : node.asList();
    }

    /** Every key of this mapping with its value, in file order; for mappings keyed by name, such as tables. */
    Map<String, YamlNode> entries() {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        fields.keySet().forEach(key -> entries.put(key, get(key)));
        return entries;
    }

    /** An error about this mapping as a whole. */
    ConfigException error(String reason) {
        return new ConfigException(source, path, reason);
    }

    /** An error about the value under {@code key}. */
    ConfigException error(String key, String reason) {
        return get(key).error(reason);
    }

    private static String nonEmpty(YamlNode node) {
        String value = node.asString();
        if (value.isEmpty()) {
            throw node.error("must not be empty");
        }
        return value;
    }
}
