package io.shardwire.proxy.protocol.constant;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A MySQL character set the proxy converts text between: how its bytes decode in Java, the most bytes a character
 * takes (a column's length in bytes is its length in characters times this), and its default collation.
 *
 * @param name             the MySQL name
 * @param java             the Java charset reading it ({@code latin1} is Windows code page 1252)
 * @param maxBytes         the most bytes one character takes
 * @param defaultCollation the id of its default collation
 */
public record TextCharset(String name, Charset java, int maxBytes, int defaultCollation) {

    public static final TextCharset UTF8MB4 = new TextCharset("utf8mb4", StandardCharsets.UTF_8, 4, 45);
    public static final TextCharset UTF8MB3 = new TextCharset("utf8mb3", StandardCharsets.UTF_8, 3, 33);
    public static final TextCharset LATIN1 = new TextCharset("latin1", Charset.forName("windows-1252"), 1, 8);
    public static final TextCharset ASCII = new TextCharset("ascii", StandardCharsets.US_ASCII, 1, 11);

    /**
     * The character set of a collation id, or empty when it is binary or one the proxy does not know (such text is
     * left as the server sent it). MariaDB's own ids past 255 are not known here.
     */
    public static Optional<TextCharset> ofCollation(int collationId) {
        return Optional.ofNullable(switch (collationId) {
            case 5, 8, 15, 31, 47, 48, 49, 94 -> LATIN1;
            case 11, 65 -> ASCII;
            case 33, 76, 83, 223 -> UTF8MB3;
            case 45, 46 -> UTF8MB4;
            default -> collationId >= 192 && collationId <= 215 ? UTF8MB3
                    : collationId >= 224 && collationId <= 247 || collationId >= 255 && collationId <= 323 ? UTF8MB4
                    : null;
        });
    }

    /** The character set a SET statement names ({@code utf8} is {@code utf8mb3}), or empty if the proxy has none such. */
    public static Optional<TextCharset> named(String name) {
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "utf8mb4" -> UTF8MB4;
            case "utf8mb3", "utf8" -> UTF8MB3;
            case "latin1" -> LATIN1;
            case "ascii" -> ASCII;
            default -> null;
        });
    }
}
