/**
 * Admin statements on the MySQL port ({@code SHOW SHARDWIRE ...}, {@code RELOAD SHARDWIRE CONFIG}) for users
 * marked {@code admin} in the configuration; documented in {@code docs/operations.md}.
 */
package io.shardwire.proxy.admin;
