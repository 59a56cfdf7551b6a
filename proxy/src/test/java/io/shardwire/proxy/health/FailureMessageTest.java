package io.shardwire.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailureMessageTest {

    @Test
    void theFirstLineOfTheMessageOrTheExceptionsName() {
        assertThat(FailureMessage.firstLine(new SQLException("Communications link failure \n\nThe last packet ...")))
                .isEqualTo("Communications link failure");
        assertThat(FailureMessage.firstLine(new SQLException("Access denied"))).isEqualTo("Access denied");
        assertThat(FailureMessage.firstLine(new SQLException())).isEqualTo("SQLException");
    }
}
