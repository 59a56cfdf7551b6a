/**
 * The configuration the proxy runs with now, replaceable at run time by {@code RELOAD SHARDWIRE CONFIG}: sessions
 * take the current one when they connect and keep it until they end.
 */
package io.shardwire.proxy.live;
