package io.shardwire.config;

/**
 * One backend MySQL/MariaDB server the proxy connects to.
 *
 * @param host     host name or address
 * @param port     TCP port
 * @param user     account the proxy logs in with
 * @param password that account's password
 * @param weight   a replica's share of reads under the {@code weighted} balancer (ignored for a primary)
 */
public record DataSourceConfig(String host, int port, String user, String password, int weight) {

    /** A data source of weight 1. */
    public DataSourceConfig(String host, int port, String user, String password) {
        this(host, port, user, password, 1);
    }

    /** {@code host:port}, as used in logs and errors. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "DataSourceConfig[" + user + "@" + address() + "]";
    }
}
