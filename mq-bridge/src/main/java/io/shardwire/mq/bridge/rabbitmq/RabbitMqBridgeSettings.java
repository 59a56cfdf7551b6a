package io.shardwire.mq.bridge.rabbitmq;

import java.time.Duration;

/**
 * Where the RabbitMQ bridge publishes.
 *
 * @param host           the broker's host
 * @param port           its AMQP port
 * @param username       the account
 * @param password       its password
 * @param virtualHost    the virtual host
 * @param exchange       the durable topic exchange to publish to (declared if missing); bind queues to it with
 *                       routing keys such as {@code shop.orders} or {@code shop.*}
 * @param confirmTimeout how long to wait for the broker to confirm a delivery's messages
 */
public record RabbitMqBridgeSettings(String host, int port, String username, String password, String virtualHost,
                                     String exchange, Duration confirmTimeout) {

    /** Checks the values. */
    public RabbitMqBridgeSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: '" + host + "' (expected: a host name or address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1 to 65535)");
        }
        if (username == null || password == null || virtualHost == null) {
            throw new IllegalArgumentException("username, password, virtualHost: null (expected: strings)");
        }
        if (exchange == null || exchange.isBlank()) {
            throw new IllegalArgumentException("exchange: '" + exchange + "' (expected: an exchange name)");
        }
        if (confirmTimeout == null || confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new IllegalArgumentException("confirmTimeout: " + confirmTimeout + " (expected: > 0)");
        }
    }

    /**
     * Defaults: 127.0.0.1:5672, guest/guest, virtual host {@code /}, exchange {@code shardwire.changes}, 30 s
     * confirm timeout.
     *
     * @return the settings
     */
    public static RabbitMqBridgeSettings defaults() {
        return new RabbitMqBridgeSettings("127.0.0.1", 5672, "guest", "guest", "/", "shardwire.changes",
                Duration.ofSeconds(30));
    }

    /**
     * @param name the exchange
     * @return these settings with that exchange
     */
    public RabbitMqBridgeSettings withExchange(String name) {
        return new RabbitMqBridgeSettings(host, port, username, password, virtualHost, name, confirmTimeout);
    }
}
