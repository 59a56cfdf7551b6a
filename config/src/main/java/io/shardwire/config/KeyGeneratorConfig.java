package io.shardwire.config;

/**
 * A column filled with a generated snowflake key when an INSERT leaves it out.
 *
 * @param column the key column's name
 */
public record KeyGeneratorConfig(String column) {
}
