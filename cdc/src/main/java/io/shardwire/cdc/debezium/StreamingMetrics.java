package io.shardwire.cdc.debezium;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The MariaDB connector's streaming metrics MBean,
 * {@code debezium.mariadb:type=connector-metrics,context=streaming,server=<topic.prefix>}: its {@code Connected}
 * attribute turns true once the connector reads the binlog, which is the capture's readiness. The engine's
 * task-started callback fires before the snapshot and the binlog connection; a write right after it was measured
 * lost.
 */
final class StreamingMetrics {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName name;

    /**
     * @param topicPrefix the connector's {@code topic.prefix}, which {@link io.shardwire.cdc.GroupSource} keeps to
     *                    characters an MBean name takes unquoted
     */
    StreamingMetrics(String topicPrefix) {
        try {
            this.name = new ObjectName("debezium.mariadb:type=connector-metrics,context=streaming,server="
                    + topicPrefix);
        } catch (JMException e) {
            throw new IllegalArgumentException("topic prefix '" + topicPrefix + "' makes no valid MBean name", e);
        }
    }

    /** @return whether the connector is connected to the binlog; false while the MBean does not exist yet */
    boolean connected() {
        try {
            return server.isRegistered(name) && Boolean.TRUE.equals(server.getAttribute(name, "Connected"));
        } catch (JMException e) {
            // Unregistered between the two calls: the connector is stopping.
            return false;
        }
    }

    @Override
    public String toString() {
        return name.toString();
    }
}
