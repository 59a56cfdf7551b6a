package io.shardwire.config;

import java.util.Set;

/**
 * A proxy user.
 *
 * @param name     login name
 * @param password clear-text password (the proxy must verify both native and SHA-2 scrambles)
 * @param schemas  logical schemas this user may use; ignored for admins, who may use all
 * @param admin    whether the user may run the admin statements and see every schema
 * @param consistency the read consistency the user's sessions start with
 */
public record UserConfig(String name, String password, Set<String> schemas, boolean admin,
                         ReadConsistency consistency) {

    public UserConfig {
        schemas = Set.copyOf(schemas);
    }

    /** A user with the default read consistency. */
    public UserConfig(String name, String password, Set<String> schemas, boolean admin) {
        this(name, password, schemas, admin, ReadConsistency.DEFAULT);
    }

    /** Whether this user may use the given logical schema. */
    public boolean maySee(String schema) {
        return admin || schemas.contains(schema);
    }

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", schemas=" + schemas + ", admin=" + admin + ", consistency=" + consistency + "]";
    }
}
