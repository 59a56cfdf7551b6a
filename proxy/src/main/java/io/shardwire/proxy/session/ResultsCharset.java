package io.shardwire.proxy.session;

import io.shardwire.proxy.protocol.constant.TextCharset;
import java.util.Locale;
import java.util.Optional;

/**
 * The character set a session's results are sent in, {@code character_set_results}: MariaDB converts every text
 * column to it and describes the column with this collation. The backends keep {@code character_set_results = NULL},
 * so that results reach the proxy in each column's own charset and collation (which the merges compare by), and the
 * proxy converts at its edge.
 *
 * @param charset   the character set
 * @param collation the collation id the converted columns are described with
 */
public record ResultsCharset(TextCharset charset, int collation) {

    /** The handshake's collation sets the results charset; one the proxy does not know is read as utf8mb4. */
    public static ResultsCharset ofHandshake(int collationId) {
        return TextCharset.ofCollation(collationId).map(charset -> new ResultsCharset(charset, collationId))
                .orElse(new ResultsCharset(TextCharset.UTF8MB4, TextCharset.UTF8MB4.defaultCollation()));
    }

    /**
     * The value of a {@code SET character_set_results} (or NAMES): empty for {@code NULL} and {@code binary}, which
     * send results unconverted.
     *
     * @throws IllegalArgumentException for a character set the proxy does not convert to
     */
    static Optional<ResultsCharset> named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("null") || lower.equals("binary")) {
            return Optional.empty();
        }
        TextCharset charset = TextCharset.named(lower)
                .orElseThrow(() -> new IllegalArgumentException("no results conversion to " + name));
        return Optional.of(new ResultsCharset(charset, charset.defaultCollation()));
    }
}
