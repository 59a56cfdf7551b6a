package io.shardwire.proxy.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a short administrative statement (SHOW, DESCRIBE), which JSqlParser does not parse:
 * quoted identifiers and string literals stay one word each, with their quotes; {@code .} and
 * punctuation are words of their own; a trailing {@code ;} is dropped.
 */
final class SqlWords {

    private static final Pattern QUOTED_IDENTIFIER = Pattern.compile("`((?:[^`]|``)+)`");

    private SqlWords() {
    }

    static List<String> split(String sql) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || (c == ';' && sql.substring(i + 1).isBlank())) {
                i++;
            } else if (c == '`' || c == '\'' || c == '"') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == '\\' && c != '`') {
                        end += 2;
                        continue;
                    }
                    if (sql.charAt(end) == c) {
                        if (end + 1 < n && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                words.add(sql.substring(i, Math.min(n, end + 1)));
                i = end + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '%') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || "_$%".indexOf(sql.charAt(end)) >= 0)) {
                    end++;
                }
                words.add(sql.substring(i, end));
                i = end;
            } else {
                words.add(String.valueOf(c));
                i++;
            }
        }
        return words;
    }

    /** A word without its quotes: {@code `a``b`} is {@code a`b}, {@code 'it''s'} is {@code it's}. */
    static String unquote(String word) {
        if (word.length() >= 2) {
            char q = word.charAt(0);
            if ((q == '`' || q == '\'' || q == '"') && word.charAt(word.length() - 1) == q) {
                String inner = word.substring(1, word.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q));
                return q == '`' ? inner : inner.replace("\\\\", "\u0000").replace("\\", "").replace("\u0000", "\\");
            }
        }
        return word;
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** A name as a LIKE pattern matching only itself. */
    static String escapeLike(String name) {
        return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * A LIKE pattern ({@code %}, {@code _}, backslash escapes) as a regular expression: case-insensitive, as column
     * names compare, or not, as table names do on a server with {@code lower_case_table_names=0}.
     */
    static Pattern likePattern(String like, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(),
                ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL : Pattern.DOTALL);
    }

    /** {@code text} with every backquoted identifier replaced by {@code rename} of its name. */
    static String renameQuoted(String text, UnaryOperator<String> rename) {
        Matcher m = QUOTED_IDENTIFIER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).replace("``", "`");
            m.appendReplacement(out, Matcher.quoteReplacement(quote(rename.apply(name))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
