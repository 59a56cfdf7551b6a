package io.shardwire.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Inserts rows {@code first..last} into a table {@code (id INT PRIMARY KEY, payload VARCHAR)} on a thread of its
 * own, one autocommit transaction per row, except every tenth id, which starts a transaction of three rows.
 */
final class RowWriter {

    private final CompletableFuture<Void> done;

    private RowWriter(CompletableFuture<Void> done) {
        this.done = done;
    }

    static RowWriter start(String table, int first, int last) {
        return new RowWriter(CompletableFuture.runAsync(() -> {
            try (Connection connection = SharedCluster.primary().connect();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                int id = first;
                while (id <= last) {
                    int rows = id % 10 == 0 ? Math.min(3, last - id + 1) : 1;
                    connection.setAutoCommit(rows == 1);
                    for (int i = 0; i < rows; i++, id++) {
                        insert.setInt(1, id);
                        insert.setString(2, "row " + id);
                        insert.executeUpdate();
                    }
                    if (rows > 1) {
                        connection.commit();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("writing rows " + first + ".." + last + " into " + table, e);
            }
        }));
    }

    void awaitDone() throws Exception {
        done.get(2, TimeUnit.MINUTES);
    }
}
