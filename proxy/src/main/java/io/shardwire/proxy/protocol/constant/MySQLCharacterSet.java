package io.shardwire.proxy.protocol.constant;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.charset.Charset;

/**
 * The {@code character_set} byte of the handshake, which is really a MySQL
 * <a href="https://dev.mysql.com/doc/refman/8.4/en/charset-mysql.html">collation id</a>, and the Java charset that
 * decodes text sent under it.
 */
public final class MySQLCharacterSet {

    /** {@code utf8mb4_general_ci}: understood by every client since MySQL 5.5, so the server default we announce. */
    public static final int UTF8MB4_GENERAL_CI = 45;

    /** {@code binary}: raw bytes, the collation of non-text columns and placeholders. */
    public static final int BINARY = 63;

    /** {@code utf8mb4_0900_ai_ci}, the MySQL 8 default that recent clients answer with. */
    public static final int UTF8MB4_0900_AI_CI = 255;

    private MySQLCharacterSet() {
    }

    /**
     * The Java charset for a collation id. The {@code latin1} and {@code ascii} collations map to their charsets;
     * every other id, including all {@code utf8mb3} and {@code utf8mb4} collations, maps to UTF-8, the only other
     * charset that clients use in practice.
     */
    public static Charset javaCharset(int collationId) {
        return TextCharset.ofCollation(collationId).map(TextCharset::java).orElse(UTF_8);
    }
}
