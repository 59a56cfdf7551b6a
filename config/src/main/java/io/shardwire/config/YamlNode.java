package io.shardwire.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One value of the loaded YAML tree together with its key path, so that every conversion error
 * can say where it happened ({@code shardGroups[1].primary.port: must be ...}).
 *
 * <p>The value is what SnakeYAML's safe constructor produced: a {@code Map}, a {@code List}, a
 * {@code String}, a {@code Boolean}, an {@code Integer}/{@code Long}/{@code BigInteger}, or
 * {@code null} for an absent key or an empty value; both count as absent.
 */
final class YamlNode {

    private final String source;
    private final String path;
    private final Object value;

    private YamlNode(String source, String path, Object value) {
        this.source = source;
        this.path = path;
        this.value = value;
    }

    /** The whole document, whose path is empty. */
    static YamlNode root(String source, Object tree) {
        return new YamlNode(source, "", tree);
    }

    /** The value under {@code key} of the mapping at {@code parentPath}. */
    static YamlNode child(String source, String parentPath, String key, Object value) {
        return new YamlNode(source, parentPath.isEmpty() ? key : parentPath + "." + key, value);
    }

    boolean isAbsent() {
        return value == null;
    }

    /** An error about this value. */
    ConfigException error(String reason) {
        return new ConfigException(source, path, reason);
    }

    /**
     * This value as a string. Booleans and integers are accepted too, written back as they appeared
     * in the file (see {@link PlainScalarResolver}), so that {@code password: 123456} works unquoted.
     */
    String asString() {
        if (value instanceof String || value instanceof Boolean || isInteger(value)) {
            return value.toString();
        }
        throw mismatch("a string");
    }

    boolean asBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        throw mismatch("true or false");
    }

    /** This value as an integer the rule accepts; strings such as {@code '3306'} are refused. */
    long asLong(IntRule rule) {
        // A BigInteger that does not fit a long is out of every rule's range.
        if (isInteger(value) && !(value instanceof BigInteger big && big.bitLength() > 63)) {
            long v = ((Number) value).longValue();
            if (rule.accepts().test(v)) {
                return v;
            }
        }
        throw mismatch(rule.description());
    }

    int asInt(IntRule rule) {
        long v = asLong(rule);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw mismatch("at most " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    /** This value as a constant of {@code type}, matched case-insensitively and shown in lower case. */
    <E extends Enum<E>> E asEnum(Class<E> type) {
        E[] constants = type.getEnumConstants();
        if (value instanceof String s) {
            for (E constant : constants) {
                if (constant.name().equalsIgnoreCase(s)) {
                    return constant;
                }
            }
        }
        throw mismatch("one of " + Arrays.stream(constants)
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }

    /** The elements of this list, each with its index in the path. */
    List<YamlNode> asList() {
        if (!(value instanceof List<?> list)) {
            throw mismatch("a list");
        }
        List<YamlNode> elements = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            elements.add(new YamlNode(source, path + "[" + i + "]", list.get(i)));
        }
        return elements;
    }

    YamlMap asMap() {
        if (!(value instanceof Map<?, ?> map)) {
            throw mismatch("a mapping");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            // Unquoted keys such as 2024 or true come back typed; their text is the key that was written.
            Object key = entry.getKey();
            if (!(key instanceof String || key instanceof Boolean || isInteger(key))) {
                throw error("keys must be plain names, got " + describe(key));
            }
            if (fields.put(key.toString(), entry.getValue()) != null) {
                throw error("duplicate key '" + key + "'");
            }
        }
        return new YamlMap(source, path, fields);
    }

    /** Like {@link #asMap()}, but an absent value reads as an empty mapping so that all its defaults apply. */
    YamlMap asMapOrEmpty() {
        return isAbsent() ? new YamlMap(source, path, Map.of()) : asMap();
    }

    private ConfigException mismatch(String expected) {
        return error("must be " + expected + ", got " + describe(value));
    }

    private static boolean isInteger(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof BigInteger;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "nothing";
        }
        if (o instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (o instanceof List<?>) {
            return "a list";
        }
        return "'" + o + "'";
    }
}
