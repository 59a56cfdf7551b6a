package io.shardwire.config;

/**
 * Change data capture from every shard group primary into the queue.
 *
 * @param enabled      whether the proxy runs CDC at all
 * @param user         replication account used to read the binlog
 * @param password     that account's password
 * @param serverIdBase first replication {@code server_id} the readers use; one per shard group from here
 */
public record CdcConfig(boolean enabled, String user, String password, long serverIdBase) {

    @Override
    public String toString() {
        return "CdcConfig[enabled=" + enabled + ", user=" + user + ", serverIdBase=" + serverIdBase + "]";
    }
}
