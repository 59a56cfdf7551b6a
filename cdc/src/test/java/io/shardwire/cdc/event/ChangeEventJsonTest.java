package io.shardwire.cdc.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ChangeEventJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anEventSurvivesARoundTripAndUsesDebeziumsFieldNames() throws IOException {
        ChangeEvent update = new ChangeEvent(EventId.ofBinlogChange("g0", "0-100-42", 2), Operation.UPDATE, "shop",
                "orders", object("{\"id\":7}"), Optional.of(object("{\"id\":7,\"total\":\"10.50\"}")),
                Optional.of(object("{\"id\":7,\"total\":\"12.00\"}")),
                new EventSource("g0", "shop_0", "orders_1", 100, Optional.of("0-100-42"), "binlog.000003", 1874, 0,
                        false, 1_767_225_600_000L),
                Optional.of(new EventTransaction("0-100-42", 2, 1, OptionalLong.of(3),
                        OptionalLong.of(1_767_225_600_000L))),
                1_767_225_600_123L);

        byte[] json = ChangeEventJson.write(update);

        assertThat(ChangeEventJson.read(json)).isEqualTo(update);
        ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
        assertThat(tree.get("op").asText()).isEqualTo("u");
        assertThat(tree.get("before").get("total").asText()).isEqualTo("10.50");
        assertThat(tree.get("source").get("db").asText()).isEqualTo("shop_0");
        assertThat(tree.get("source").get("server_id").asLong()).isEqualTo(100);
        assertThat(tree.get("transaction").get("total_order").asLong()).isEqualTo(2);
        assertThat(tree.get("transaction").get("data_collection_order").asLong()).isEqualTo(1);
        assertThat(tree.get("ts_ms").asLong()).isEqualTo(1_767_225_600_123L);
        assertThat(new String(ChangeEventJson.keyOf(update), StandardCharsets.UTF_8))
                .isEqualTo("[\"shop\",\"orders\",{\"id\":7}]");
    }

    @Test
    void aSnapshotReadHasNoBeforeImageAndNoTransaction() throws IOException {
        ChangeEvent read = new ChangeEvent(EventId.ofRowAtPosition("g0", "binlog.000001", 4, "shop_0", "orders_1",
                "{\"id\":1}"), Operation.READ, "shop", "orders", object("{\"id\":1}"), Optional.empty(),
                Optional.of(object("{\"id\":1}")), new EventSource("g0", "shop_0", "orders_1", 0, Optional.empty(),
                        "binlog.000001", 4, 0, true, 5), Optional.empty(), 6);

        ObjectNode tree = (ObjectNode) MAPPER.readTree(ChangeEventJson.write(read));

        assertThat(tree.get("before").isNull()).isTrue();
        assertThat(tree.get("transaction").isNull()).isTrue();
        assertThat(tree.get("source").get("gtid").isNull()).isTrue();
        assertThat(ChangeEventJson.read(ChangeEventJson.write(read))).isEqualTo(read);
    }

    @Test
    void aSchemaChangeHasDebeziumsSchemaChangeFieldsNoOpAndAnEmptyKey() throws IOException {
        SchemaChangeEvent change = new SchemaChangeEvent(
                EventId.ofSchemaChange("g0", "0-100-43", new LogicalTable("shop", "orders")), "shop", "orders",
                "ALTER TABLE `shop`.`orders` ADD COLUMN note VARCHAR(20)",
                object("{\"type\":\"ALTER\",\"id\":\"\\\"shop\\\".\\\"orders\\\"\",\"table\":{\"columns\":[]}}"),
                new EventSource("g0", "shop_0", "orders_0", 100, Optional.of("0-100-43"), "binlog.000003", 2100, 0,
                        false, 1_767_225_601_000L), 1_767_225_601_100L);

        byte[] json = ChangeEventJson.write(change);

        assertThat(ChangeEventJson.readCaptured(json)).isEqualTo(change);
        ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
        assertThat(tree.has("op")).isFalse();
        assertThat(tree.get("ddl").asText()).isEqualTo(change.ddl());
        assertThat(tree.get("databaseName").asText()).isEqualTo("shop");
        assertThat(tree.get("schemaName").isNull()).isTrue();
        assertThat(tree.get("tableChanges").get(0).get("id").asText()).isEqualTo("\"shop\".\"orders\"");
        assertThat(tree.get("source").get("gtid").asText()).isEqualTo("0-100-43");
        assertThat(new String(ChangeEventJson.keyOf(change), StandardCharsets.UTF_8))
                .isEqualTo("[\"shop\",\"orders\",{}]");
        assertThatThrownBy(() -> ChangeEventJson.read(json)).isInstanceOf(IOException.class)
                .hasMessageContaining("schema change");
    }

        @Test
    void imagesThatDoNotFitTheOperationAreRejected() {
        assertThatThrownBy(() -> new ChangeEvent("id", Operation.DELETE, "s", "t", object("{}"), Optional.empty(),
                Optional.empty(), new EventSource("g0", "d", "t", 0, Optional.empty(), "f", 0, 0, false, 0),
                Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("op d on s.t with before absent");
    }

    @Test
    void eventIdsAreDeterministicAndTellTheirPartsApart() {
        assertThat(EventId.ofBinlogChange("g0", "0-100-5", 1)).isEqualTo(EventId.ofBinlogChange("g0", "0-100-5", 1))
                .hasSize(32)
                .isNotEqualTo(EventId.ofBinlogChange("g0", "0-100-5", 2))
                .isNotEqualTo(EventId.ofBinlogChange("g1", "0-100-5", 1));
        assertThat(EventId.ofRowAtPosition("g0", "b.1", 4, "ab", "c", "{}"))
                .isNotEqualTo(EventId.ofRowAtPosition("g0", "b.1", 4, "a", "bc", "{}"));
    }

    @Test
    void malformedJsonIsRejectedNamingTheProblem() {
        assertThatThrownBy(() -> ChangeEventJson.read("{\"id\":\"x\",\"op\":\"q\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("change event x is not valid: op: 'q'");
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
