package io.shardwire.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class BackendStatementTest {

    @Test
    void aLinkFailureIsALostConnection() {
        assertThat(BackendStatement.isConnectionLost(new SQLException("Communications link failure", "08S01")))
                .isTrue();
    }

    @Test
    void aStreamedRowFetchThatMetTheEndOfTheSocketIsALostConnection() {
        // Connector/J's shape of it: S1000 over a CJException over the EOFException.
        SQLException e = new SQLException("Error retrieving record: Unexpected Exception: java.io.EOFException", "S1000",
                new RuntimeException(new EOFException("Can not read response from server.")));
        assertThat(BackendStatement.isConnectionLost(e)).isTrue();
    }

    @Test
    void aStatementErrorIsNot() {
        assertThat(BackendStatement.isConnectionLost(new SQLException("Duplicate entry", "23000", 1062))).isFalse();
        assertThat(BackendStatement.isConnectionLost(new SQLException("General error", "S1000"))).isFalse();
    }
}
