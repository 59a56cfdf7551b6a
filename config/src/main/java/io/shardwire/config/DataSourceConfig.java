package io.shardwire.config;

/**
 * One backend MySQL/MariaDB server the proxy connects to.
 *
 * @param host     host name or address
 * @param port     TCP port
 * @param user     account the proxy logs in with
 * @param password that account's password
 */
public record DataSourceConfig(String host, int port, String user, String password) {

    /** {@code host:port}, as used in logs and errors. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "DataSourceConfig[" + user + "@" + address() + "]";
    }
}
