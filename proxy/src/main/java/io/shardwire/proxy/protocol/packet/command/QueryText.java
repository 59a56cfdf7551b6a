package io.shardwire.proxy.protocol.packet.command;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Turns the bytes of a statement into text the backend receives byte for byte. The backend
 * connection encodes statements as text in one charset, but a client may put raw bytes that are
 * no text in that charset inside a string literal ({@code _binary'...'}, as MariaDB Connector/J
 * does for byte arrays); decoding them would corrupt them. Such a literal is rewritten as a hex
 * literal ({@code X'80ff'}) holding exactly its bytes, after undoing backslash and quote escapes.
 *
 * <p>Statements that are valid text (nearly all) are decoded as they are. Stateless and thread-safe.
 */
final class QueryText {

    private QueryText() {
    }

    /**
     * The statement as text, or empty if bytes that are not valid in {@code charset} stand outside
     * string literals (where no rewrite can keep them).
     */
    static Optional<String> decode(byte[] sql, Charset charset) {
        Optional<String> whole = strictly(sql, 0, sql.length, charset);
        if (whole.isPresent()) {
            return whole;
        }
        StringBuilder text = new StringBuilder(sql.length + 16);
        int plainFrom = 0;
        int at = 0;
        while (at < sql.length) {
            byte b = sql[at];
            if (b == '\'' || b == '"') {
                int end = literalEnd(sql, at);
                Optional<String> literal = strictly(sql, at, end, charset);
                if (literal.isEmpty()) {
                    Optional<String> plain = strictly(sql, plainFrom, at, charset);
                    if (plain.isEmpty()) {
                        return Optional.empty();
                    }
                    text.append(plain.get()).append(" X'")
                            .append(HexFormat.of().formatHex(unescape(sql, at + 1, end - 1, b))).append('\'');
                    plainFrom = end;
                }
                at = end;
            } else if (b == '`') {
                at = quotedEnd(sql, at, (byte) '`');
            } else {
                at++;
            }
        }
        Optional<String> tail = strictly(sql, plainFrom, sql.length, charset);
        return tail.map(rest -> text.append(rest).toString());
    }

    private static Optional<String> strictly(byte[] bytes, int from, int to, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, from, to - from));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException notText) {
            return Optional.empty();
        }
    }

    /** The index after the literal's closing quote (or the end, for an unterminated literal). */
    private static int literalEnd(byte[] sql, int open) {
        byte quote = sql[open];
        int at = open + 1;
        while (at < sql.length) {
            if (sql[at] == '\\') {
                at += 2;
            } else if (sql[at] == quote) {
                if (at + 1 < sql.length && sql[at + 1] == quote) {
                    at += 2;
                } else {
                    return at + 1;
                }
            } else {
                at++;
            }
        }
        return sql.length;
    }

    private static int quotedEnd(byte[] sql, int open, byte quote) {
        int at = open + 1;
        while (at < sql.length) {
            if (sql[at] == quote) {
                if (at + 1 < sql.length && sql[at + 1] == quote) {
                    at += 2;
                    continue;
                }
                return at + 1;
            }
            at++;
        }
        return sql.length;
    }

    /** The bytes a literal's body stands for, with MySQL's backslash escapes and doubled quotes undone. */
    private static byte[] unescape(byte[] sql, int from, int to, byte quote) {
        ByteBuffer out = ByteBuffer.allocate(Math.max(0, to - from));
        int at = from;
        while (at < to) {
            byte b = sql[at];
            if (b == '\\' && at + 1 < to) {
                byte next = sql[at + 1];
                if (next == '%' || next == '_') {
                    // MySQL keeps the backslash of these two: they are LIKE wildcards escaped.
                    out.put(b);
                }
                out.put(switch (next) {
                    case '0' -> (byte) 0;
                    case 'n' -> (byte) '\n';
                    case 'r' -> (byte) '\r';
                    case 't' -> (byte) '\t';
                    case 'b' -> (byte) '\b';
                    case 'Z' -> (byte) 0x1a;
                    default -> next;
                });
                at += 2;
            } else if (b == quote && at + 1 < to && sql[at + 1] == quote) {
                out.put(quote);
                at += 2;
            } else {
                out.put(b);
                at++;
            }
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }
}
