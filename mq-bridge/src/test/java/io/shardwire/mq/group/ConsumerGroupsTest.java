package io.shardwire.mq.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwire.mq.log.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerGroupsTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;

    @Test
    void commitsSurviveReopenAndLaterCommitsReplaceEarlierOnes() throws Exception {
        ConsumerGroups groups = ConsumerGroups.open(dir);
        groups.commit("billing", Map.of(ORDERS_0, 10L, ORDERS_1, 3L));
        groups.commit("billing", ORDERS_0, 12);
        groups.commit("audit", ORDERS_1, 1);

        ConsumerGroups reopened = ConsumerGroups.open(dir);
        assertThat(reopened.committed("billing")).isEqualTo(Map.of(ORDERS_0, 12L, ORDERS_1, 3L));
        assertThat(reopened.committed("audit", ORDERS_1)).hasValue(1);
        assertThat(reopened.committed("audit", ORDERS_0)).isEmpty();
        assertThat(reopened.groups()).containsExactly("audit", "billing");
        assertThat(dir.resolve("billing.offsets")).exists();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("billing.offsets",
                    "audit.offsets");
        }
    }

    @Test
    void aLeftoverTempFileIsIgnoredAndRemoved() throws Exception {
        ConsumerGroups.open(dir).commit("billing", ORDERS_0, 5);
        Files.write(dir.resolve("billing.offsets.tmp"), new byte[] {1, 2, 3});

        ConsumerGroups reopened = ConsumerGroups.open(dir);
        assertThat(reopened.committed("billing", ORDERS_0)).hasValue(5);
        assertThat(dir.resolve("billing.offsets.tmp")).doesNotExist();
    }

    @Test
    void aDamagedOffsetsFileFailsTheOpenWithWhatToDo() throws Exception {
        ConsumerGroups.open(dir).commit("billing", ORDERS_0, 5);
        byte[] bytes = Files.readAllBytes(dir.resolve("billing.offsets"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve("billing.offsets"), bytes);

        assertThatThrownBy(() -> ConsumerGroups.open(dir))
                .isInstanceOf(IOException.class)
                .hasMessage("consumer group offsets file " + dir.resolve("billing.offsets") + " fails its CRC check;"
                        + " restore it from a backup, or delete it to make the group start over from its consumers'"
                        + " reset policy");
    }

    @Test
    void badGroupNamesAndNegativeOffsetsAreRefused() throws Exception {
        ConsumerGroups groups = ConsumerGroups.open(dir);
        assertThatThrownBy(() -> groups.commit("../escape", ORDERS_0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group: '../escape' (expected: 1 to 200 letters, digits, '.', '_' or '-', not '.' or"
                        + " '..')");
        assertThatThrownBy(() -> groups.commit("billing", ORDERS_0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offset for orders-0: -1 (expected: >= 0)");
    }
}
