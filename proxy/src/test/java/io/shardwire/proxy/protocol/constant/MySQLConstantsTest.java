package io.shardwire.proxy.protocol.constant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MySQLConstantsTest {

    @Test
    void capabilityFlagsCombineAndTest() {
        int capabilities = MySQLCapabilityFlag.of(MySQLCapabilityFlag.CLIENT_PROTOCOL_41,
                MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF, MySQLCapabilityFlag.CLIENT_REMEMBER_OPTIONS);

        assertThat(capabilities).isEqualTo(0x81000200);
        assertThat(MySQLCapabilityFlag.CLIENT_DEPRECATE_EOF.isSet(capabilities)).isTrue();
        assertThat(MySQLCapabilityFlag.CLIENT_SSL.isSet(capabilities)).isFalse();
        assertThat(MySQLCapabilityFlag.CLIENT_PLUGIN_AUTH.value()).isEqualTo(0x00080000);
    }

    @Test
    void statusFlagsHaveTheirMySQLValues() {
        assertThat(MySQLStatusFlag.of(MySQLStatusFlag.SERVER_STATUS_IN_TRANS, MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT,
                MySQLStatusFlag.SERVER_MORE_RESULTS_EXISTS)).isEqualTo(0x000b);
        assertThat(MySQLStatusFlag.SERVER_SESSION_STATE_CHANGED.value()).isEqualTo(0x4000);
        assertThat(MySQLStatusFlag.SERVER_STATUS_AUTOCOMMIT.isSet(0x0002)).isTrue();
    }

    @Test
    void columnFlagsHaveTheirMySQLValues() {
        assertThat(MySQLColumnFlag.of(MySQLColumnFlag.NOT_NULL, MySQLColumnFlag.UNSIGNED, MySQLColumnFlag.NUM))
                .isEqualTo(1 | 32 | 32768);
        assertThat(MySQLColumnFlag.ON_UPDATE_NOW.value()).isEqualTo(8192);
        assertThat(MySQLColumnFlag.BINARY.isSet(128)).isTrue();
    }

    @Test
    void columnTypesMapTheirBytes() {
        assertThat(MySQLColumnType.of(0x00)).contains(MySQLColumnType.DECIMAL);
        assertThat(MySQLColumnType.of(0x0f)).contains(MySQLColumnType.VARCHAR);
        assertThat(MySQLColumnType.of(0xf5)).contains(MySQLColumnType.JSON);
        assertThat(MySQLColumnType.of(0xf6)).contains(MySQLColumnType.NEWDECIMAL);
        assertThat(MySQLColumnType.of(0xfd)).contains(MySQLColumnType.VAR_STRING);
        assertThat(MySQLColumnType.of(0xff)).contains(MySQLColumnType.GEOMETRY);
        assertThat(MySQLColumnType.of(0x14)).isEmpty();
        assertThat(MySQLColumnType.of(0x100)).isEmpty();
    }

    @Test
    void errorCodesCarryCodeStateAndMessage() {
        assertThat(MySQLErrorCode.ER_DBACCESS_DENIED_ERROR.message("u", "h", "db"))
                .isEqualTo("Access denied for user 'u'@'h' to database 'db'");
        assertThat(MySQLErrorCode.ER_NOT_SUPPORTED_YET.message("XA"))
                .isEqualTo("This version of Shardwire doesn't yet support 'XA'");
        assertThat(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE.errorCode()).isEqualTo(1153);
        assertThat(MySQLErrorCode.ER_NET_PACKET_TOO_LARGE.sqlState()).isEqualTo("08S01");
        assertThat(MySQLErrorCode.ER_QUERY_INTERRUPTED.sqlState()).isEqualTo("70100");
        assertThat(MySQLErrorCode.ER_NO_DB_ERROR.sqlState()).isEqualTo("3D000");
    }

    @Test
    void collationIdsMapToJavaCharsets() {
        assertThat(MySQLCharacterSet.javaCharset(45)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(MySQLCharacterSet.javaCharset(255)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(MySQLCharacterSet.javaCharset(33)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(MySQLCharacterSet.javaCharset(8)).isEqualTo(Charset.forName("windows-1252"));
        assertThat(MySQLCharacterSet.javaCharset(11)).isEqualTo(StandardCharsets.US_ASCII);
    }
}
