package io.shardwire.proxy.admin;

/**
 * One difference between the running configuration and a reloaded one.
 *
 * @param key    the key path, e.g. {@code server.users.bob} or {@code monitoring.slowQueryMs}
 * @param change what changed, e.g. {@code added}, {@code removed}, {@code changed} or {@code 1000 -> 200}
 * @param live   whether it can be applied to the running proxy; if not, it needs a restart
 */
public record ConfigChange(String key, String change, boolean live) {
}
