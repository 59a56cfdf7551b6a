package io.shardwire.cdc.debezium;

import io.debezium.connector.mariadb.MariaDbConnector;
import org.apache.kafka.connect.connector.Task;

/**
 * Debezium's MariaDB connector with {@link GtidResumingMariaDbConnectorTask} as its task, so that a capture can
 * resume by GTID on a promoted replica (see {@link GtidResume}). Public with a no-argument constructor because the
 * engine creates it by class name.
 */
public final class GtidResumingMariaDbConnector extends MariaDbConnector {

    /** Creates the connector; the engine configures it. */
    public GtidResumingMariaDbConnector() {
    }

    @Override
    public Class<? extends Task> taskClass() {
        return GtidResumingMariaDbConnectorTask.class;
    }
}
