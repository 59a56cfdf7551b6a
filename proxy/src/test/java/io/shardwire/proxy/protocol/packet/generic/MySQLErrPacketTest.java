package io.shardwire.proxy.protocol.packet.generic;

import static io.shardwire.proxy.protocol.PacketBytes.concat;
import static io.shardwire.proxy.protocol.PacketBytes.hex;
import static io.shardwire.proxy.protocol.PacketBytes.payload;
import static io.shardwire.proxy.protocol.PacketBytes.write;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.shardwire.proxy.protocol.constant.MySQLErrorCode;
import org.junit.jupiter.api.Test;

class MySQLErrPacketTest {

    @Test
    void writesTheSqlStateMarker() {
        MySQLErrPacket err = MySQLErrPacket.of(MySQLErrorCode.ER_NO_DB_ERROR);

        // 0xff, 1046 = 0x0416, '#', "3D000", message
        assertThat(write(err)).isEqualTo(
                concat(hex("ff 1604 23 3344303030"), "No database selected".getBytes(US_ASCII)));
    }

    @Test
    void fillsTheMessageTemplate() {
        MySQLErrPacket err = MySQLErrPacket.of(MySQLErrorCode.ER_ACCESS_DENIED_ERROR, "bob", "10.0.0.1", "YES");

        assertThat(err).isEqualTo(new MySQLErrPacket(1045, "28000",
                "Access denied for user 'bob'@'10.0.0.1' (using password: YES)"));
    }

    @Test
    void roundTrips() {
        MySQLErrPacket err = MySQLErrPacket.of(MySQLErrorCode.ER_BAD_DB_ERROR, "shop");

        assertThat(MySQLErrPacket.read(payload(write(err)))).isEqualTo(err);
    }

    @Test
    void readsAPacketWithoutSqlState() {
        MySQLErrPacket err = MySQLErrPacket.read(payload(concat(hex("ff 5104"), "oops".getBytes(US_ASCII))));

        assertThat(err).isEqualTo(new MySQLErrPacket(1105, "HY000", "oops"));
    }

    @Test
    void rejectsASqlStateOfTheWrongLength() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MySQLErrPacket(1105, "HY00", "x"))
                .withMessage("sqlState: \"HY00\" (expected: 5 characters)");
    }
}
