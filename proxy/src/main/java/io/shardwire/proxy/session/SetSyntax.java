package io.shardwire.proxy.session;

import java.util.regex.Pattern;

/** Regular expression pieces of the SET statements the session reads itself. */
final class SetSyntax {

    /** How an assignment names a session variable's scope, if it does: {@code SESSION}, {@code LOCAL}, {@code @@...}. */
    static final String SESSION_SCOPE = "(?:SESSION\\s+|LOCAL\\s+|@@SESSION\\.|@@LOCAL\\.|@@)";
    /** A SET statement; group 1 is its list of assignments, without a final semicolon. */
    static final Pattern LIST = Pattern.compile("(?is)\\s*SET\\s+(.*?)\\s*;?\\s*");

    private SetSyntax() {
    }
}
