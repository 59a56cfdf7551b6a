package io.shardwire.proxy.session;

/**
 * Where a session's last generated id lives, as MySQL keeps LAST_INSERT_ID() per connection: a key
 * the proxy generated (snowflake keys), or one group's AUTO_INCREMENT, read back on that group's
 * connection.
 *
 * <p>Not thread-safe: owned by one session.
 */
final class LastInsertId {

    /** The last INSERT's id when the proxy generated it, else null. */
    private Long generated;
    /** The group whose AUTO_INCREMENT produced the last INSERT's id, else null. */
    private String group;

    /** A backend statement on the group returned this AUTO_INCREMENT value (0: none, nothing changes). */
    void fromBackend(long lastInsertId, String group) {
        if (lastInsertId != 0) {
            this.generated = null;
            this.group = group;
        }
    }

    /** The proxy generated this key for the last INSERT. */
    void generated(long key) {
        generated = key;
        group = null;
    }

    /** Whether an id is known (else a backend answers LAST_INSERT_ID() as it is). */
    boolean known() {
        return generated != null || group != null;
    }

    /** The id the proxy generated, or null when a group's AUTO_INCREMENT made it. */
    Long generatedKey() {
        return generated;
    }

    /** The group that made the last id, or null. */
    String group() {
        return group;
    }

    void reset() {
        generated = null;
        group = null;
    }
}
