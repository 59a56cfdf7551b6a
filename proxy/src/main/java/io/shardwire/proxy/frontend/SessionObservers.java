package io.shardwire.proxy.frontend;

import io.shardwire.proxy.admin.AdminConsole;
import io.shardwire.proxy.cdc.DdlHold;
import io.shardwire.proxy.metrics.ProxyMetrics;
import io.shardwire.proxy.metrics.SlowQueryLog;

/**
 * What every session reports to or is answered by besides its backends: the metrics, the slow-query log, the
 * admin statements, and the hold on DDL while change capture takes its first snapshot.
 */
public record SessionObservers(ProxyMetrics metrics, SlowQueryLog slowQueries, AdminConsole admin, DdlHold ddlHold) {
}
