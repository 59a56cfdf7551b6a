package io.shardwire.proxy.health;

/**
 * What a failed check or topology step logs and reports of its exception: Connector/J appends a multi-line
 * explanation to communication failures ("The last packet sent successfully ..."); the first line says it.
 */
public final class FailureMessage {

    private FailureMessage() {
    }

    /** The first line of the exception's message, or its class's simple name when it has none. */
    public static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline).trim();
    }
}
