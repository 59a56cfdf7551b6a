package io.shardwire.cdc.debezium;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.mariadb.MariaDbConnectorTask;
import io.debezium.function.LogPositionValidator;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.pipeline.spi.Partition;

/**
 * The MariaDB connector task, which skips Debezium's check of the stored offset against the server's
 * {@code gtid_binlog_pos} when the capture set {@value #RESUME_BY_GTID}: the capture has then found the offset's
 * GTID in the server's binlog itself (see {@link GtidResume}), which the check, keyed by the server that wrote each
 * GTID, cannot see on a promoted replica. Without the property it is Debezium's task unchanged.
 */
public final class GtidResumingMariaDbConnectorTask extends MariaDbConnectorTask {

    /** Engine property: {@code true} when the stored offset's GTID was found in the server's binlog. */
    public static final String RESUME_BY_GTID = "shardwire.cdc.resume.by.gtid";

    /** Creates the task; the engine starts it. */
    public GtidResumingMariaDbConnectorTask() {
    }

    @Override
    public boolean isLogPositionAvailable(LogPositionValidator validator, Partition partition, OffsetContext offset,
            CommonConnectorConfig config) {
        if (config.getConfig().getBoolean(RESUME_BY_GTID, false)) {
            return true;
        }
        return super.isLogPositionAvailable(validator, partition, offset, config);
    }
}
