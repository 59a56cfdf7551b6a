package io.shardwire.config;

/**
 * The RabbitMQ bridge: the change topic into a durable topic exchange, at least once, routing key = logical table,
 * message id = event id.
 *
 * @param host        the broker's host
 * @param port        its AMQP port
 * @param username    the account
 * @param password    its password
 * @param virtualHost the virtual host
 * @param exchange    the durable topic exchange
 * @param group       the bridge's consumer group in the queue (its committed offsets are its resume points)
 */
public record RabbitMqBridgeConfig(String host, int port, String username, String password, String virtualHost,
                                   String exchange, String group) {

    @Override
    public String toString() {
        return "RabbitMqBridgeConfig[host=" + host + ", port=" + port + ", username=" + username + ", virtualHost="
                + virtualHost + ", exchange=" + exchange + ", group=" + group + "]";
    }
}
