package io.shardwire.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.MysqlType;
import com.mysql.cj.result.Field;
import com.mysql.cj.util.LazyString;
import io.shardwire.proxy.protocol.packet.resultset.MySQLColumnDefinition41Packet;
import org.junit.jupiter.api.Test;

class ColumnDefinitionCacheTest {

    private final ColumnDefinitionCache cache = new ColumnDefinitionCache(ShopNames.ordersAndItems());

    @Test
    void equalFieldsOfANewResultReuseThePackets() {
        MySQLColumnDefinition41Packet[] first = cache.of(new Field[] {field("c", "c", 120)});
        MySQLColumnDefinition41Packet[] second = cache.of(new Field[] {field("c", "c", 120)});

        assertThat(second).isSameAs(first);
        assertThat(first[0].schema()).isEqualTo("shop");
        assertThat(first[0].name()).isEqualTo("c");
    }

    @Test
    void aFieldThatDiffersInAnyDescribedAttributeRebuildsThePackets() {
        MySQLColumnDefinition41Packet[] first = cache.of(new Field[] {field("c", "c", 120)});

        MySQLColumnDefinition41Packet[] relabelled = cache.of(new Field[] {field("k", "c", 120)});
        assertThat(relabelled).isNotSameAs(first);
        assertThat(relabelled[0].name()).isEqualTo("k");

        MySQLColumnDefinition41Packet[] longer = cache.of(new Field[] {field("k", "c", 240)});
        assertThat(longer).isNotSameAs(relabelled);
        assertThat(longer[0].columnLength()).isEqualTo(240);

        assertThat(cache.of(new Field[] {field("k", "c", 240), field("pad", "pad", 60)})).hasSize(2);
    }

    private static Field field(String label, String name, int length) {
        return new Field(new LazyString("shop_1"), new LazyString("orders_1"), new LazyString("orders_1"),
                new LazyString(label), new LazyString(name), length, MysqlType.FIELD_TYPE_STRING, (short) 0, 0, 45,
                "utf8mb4", MysqlType.CHAR);
    }
}
