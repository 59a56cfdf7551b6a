package io.shardwire.router.parse;

/** MySQL identifier helpers. */
public final class Identifiers {

    private Identifiers() {
    }

    /** The identifier without its backquotes or double quotes, with doubled quotes inside undone. */
    public static String unquote(String identifier) {
        String trimmed = identifier.trim();
        if (trimmed.length() >= 2) {
            char first = trimmed.charAt(0);
            char last = trimmed.charAt(trimmed.length() - 1);
            if ((first == '`' && last == '`') || (first == '"' && last == '"')) {
                String quote = String.valueOf(first);
                return trimmed.substring(1, trimmed.length() - 1).replace(quote + quote, quote);
            }
        }
        return trimmed;
    }
}
