package io.shardwire.proxy.backend;

import io.shardwire.router.merge.MergeException;
import io.shardwire.router.merge.RowCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One data node's rows read into memory, for a node whose connection must serve another node's
 * statement before the merge is done (inside a transaction, the nodes of one shard group share the
 * group's one connection, which streams one result at a time). Bounded by the router's memory-merge
 * limits; past them the read fails with a {@link MergeException} naming the limit.
 *
 * <p>Not thread-safe.
 */
public final class BufferedNodeRows implements RowCursor {

    private final List<byte[][]> rows;
    private int index = -1;

    private BufferedNodeRows(List<byte[][]> rows) {
        this.rows = rows;
    }

    /** Reads every row of {@code resultSet}, failing once more than {@code maxRows} rows or {@code maxBytes} bytes are held. */
    public static BufferedNodeRows readAll(ResultSet resultSet, long maxRows, long maxBytes) throws SQLException {
        int columns = resultSet.getMetaData().getColumnCount();
        List<byte[][]> rows = new ArrayList<>();
        long bytes = 0;
        while (resultSet.next()) {
            byte[][] row = new byte[columns][];
            for (int i = 0; i < columns; i++) {
                row[i] = resultSet.getBytes(i + 1);
                bytes += 16 + (row[i] == null ? 0 : row[i].length);
            }
            rows.add(row);
            if (rows.size() > maxRows || bytes > maxBytes) {
                throw new MergeException("a SELECT over several data nodes of one shard group inside a transaction holds"
                        + " all but one node's rows in memory, and they need more than " + maxRows + " rows or "
                        + maxBytes + " bytes (expected: <= maxMemoryMergeRows / maxMemoryMergeBytes); narrow the query"
                        + " or raise the limit");
            }
        }
        return new BufferedNodeRows(rows);
    }

    @Override
    public boolean next() {
        index++;
        return index < rows.size();
    }

    @Override
    public byte[] value(int column) {
        return rows.get(index)[column];
    }
}
