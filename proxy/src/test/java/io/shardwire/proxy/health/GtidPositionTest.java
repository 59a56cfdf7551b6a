package io.shardwire.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GtidPositionTest {

    @Test
    void countsTransactionsAheadDomainByDomain() {
        GtidPosition primary = GtidPosition.parse("0-1-42,1-2-7");
        GtidPosition replica = GtidPosition.parse("0-1-40, 1-2-7");

        assertThat(primary.transactionsAhead(replica)).isEqualTo(2);
        assertThat(replica.transactionsAhead(primary)).isZero();
    }

    @Test
    void aDomainTheReplicaHasNotSeenCountsWhole() {
        assertThat(GtidPosition.parse("0-1-5,3-9-4").transactionsAhead(GtidPosition.parse("0-1-5"))).isEqualTo(4);
        assertThat(GtidPosition.parse("0-1-5").transactionsAhead(GtidPosition.EMPTY)).isEqualTo(5);
    }

    @Test
    void divergesWithATransactionTheOtherLacksOrAnotherServersAtTheSameNumber() {
        GtidPosition primary = GtidPosition.parse("0-101-9,1-5-3");
        assertThat(GtidPosition.parse("0-100-8,1-5-3").divergesFrom(primary)).isFalse();
        assertThat(GtidPosition.parse("0-101-9,1-5-3").divergesFrom(primary)).isFalse();
        assertThat(GtidPosition.parse("0-100-10").divergesFrom(primary)).isTrue();
        assertThat(GtidPosition.parse("0-100-9").divergesFrom(primary)).as("another server's 9th").isTrue();
        assertThat(GtidPosition.parse("2-7-1").divergesFrom(primary)).as("a domain it has not").isTrue();
        assertThat(GtidPosition.EMPTY.divergesFrom(primary)).isFalse();
    }

    @Test
    void emptyOrNullIsNoTransaction() {
        assertThat(GtidPosition.parse("")).isEqualTo(GtidPosition.EMPTY);
        assertThat(GtidPosition.parse(null)).isEqualTo(GtidPosition.EMPTY);
    }

    @Test
    void rejectsWhatIsNoPosition() {
        assertThatThrownBy(() -> GtidPosition.parse("0-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a GTID position: '0-1'");
        assertThatThrownBy(() -> GtidPosition.parse("a-b-c")).isInstanceOf(IllegalArgumentException.class);
    }
}
