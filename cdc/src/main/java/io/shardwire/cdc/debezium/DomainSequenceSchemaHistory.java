package io.shardwire.cdc.debezium;

import io.debezium.config.Configuration;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryListener;
import io.debezium.storage.file.history.FileSchemaHistory;

/**
 * Debezium's file schema history (same file, same format), recovered up to the stored position with
 * {@link DomainSequenceComparator}: the table definitions recorded while the old primary was read are before a
 * position the promoted replica wrote. Public with a no-argument constructor because the connector creates it by
 * class name ({@code schema.history.internal}).
 */
public final class DomainSequenceSchemaHistory extends FileSchemaHistory {

    /** Creates the history; the connector configures it. */
    public DomainSequenceSchemaHistory() {
    }

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener,
            boolean useCatalogBeforeSchema) {
        super.configure(config, new DomainSequenceComparator(
                comparator == null ? HistoryRecordComparator.INSTANCE : comparator), listener, useCatalogBeforeSchema);
    }
}
