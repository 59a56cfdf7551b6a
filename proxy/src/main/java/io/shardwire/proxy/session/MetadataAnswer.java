package io.shardwire.proxy.session;

import io.shardwire.router.plan.NodeStatement;
import java.util.List;

/** How the session answers a metadata statement with logical names ({@link LogicalMetadata}). */
sealed interface MetadataAnswer {

    /** Run one statement on its node and relay the answer as it is (it names no physical table). */
    record Relay(NodeStatement statement) implements MetadataAnswer {
    }

    /**
     * Run the statements one after another and answer with their rows, concatenated and renamed.
     *
     * @param statements the statements, each returning rows with the same columns
     * @param renamer    turns each statement's rows into the rows the client sees
     */
    record Renamed(List<NodeStatement> statements, RowRenamer renamer) implements MetadataAnswer {
    }

    /** Answer with an error. */
    record Refused(SessionError error) implements MetadataAnswer {
    }

    /** Rewrites the rows of one statement of a {@link Renamed} answer. */
    @FunctionalInterface
    interface RowRenamer {
        /**
         * @param statement the index of the statement the rows came from
         * @param columns   the column names
         * @param rows      the rows, as text (null for NULL); the returned list replaces them
         */
        List<List<String>> rename(int statement, List<String> columns, List<List<String>> rows);
    }
}
