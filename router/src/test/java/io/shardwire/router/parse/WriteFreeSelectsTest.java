package io.shardwire.router.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteFreeSelectsTest {

    private static boolean provable(String sql) {
        return WriteFreeSelects.provable(new SqlStatementParser().parse(sql).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT c FROM sbtest1 WHERE id = 7",
            "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 1 AND 100",
            "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 1 AND 100 ORDER BY c",
            "SELECT id, `concat`(c, 'x'), IFNULL(pad, '') FROM t WHERE id IN (SELECT id FROM u WHERE k > ABS(-1)) FOR UPDATE",
            "SELECT ROW_NUMBER() OVER (ORDER BY id), COUNT(*) FROM t GROUP BY id HAVING MAX(k) > 1",
            "SELECT 'bump(1)' FROM t"})
    void selectsCallingOnlyBuiltInsWriteNothing(String sql) {
        assertThat(provable(sql)).isTrue();
    }

    /** A call that may be a stored function, anywhere in the statement, leaves the question open. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT bump(id) FROM t",
            "SELECT id FROM t WHERE bump(id) = 1",
            "SELECT id FROM t ORDER BY bump(id)",
            "SELECT id FROM t GROUP BY bump(id)",
            "SELECT id, COUNT(*) FROM t GROUP BY id HAVING bump(id) > 0",
            "SELECT id FROM t JOIN u ON bump(t.id) = u.id",
            "SELECT (SELECT bump(id) FROM u LIMIT 1) FROM t",
            "SELECT id FROM t WHERE id IN (SELECT bump(id) FROM u)",
            "SELECT id FROM t WHERE EXISTS (SELECT 1 FROM u WHERE bump(u.id) = 1)",
            "SELECT x FROM (SELECT bump(id) AS x FROM t) d",
            "WITH d AS (SELECT bump(id) AS x FROM t) SELECT x FROM d",
            "SELECT id FROM t UNION SELECT bump(id) FROM u",
            "SELECT ABS(bump(id)) FROM t",
            "SELECT shop.abs(id) FROM t",
            "SELECT SUM(id) OVER (PARTITION BY bump(id)) FROM t",
            "SELECT bump_total(id) OVER () FROM t",
            "SELECT CASE WHEN id > 0 THEN bump(id) END FROM t",
            "SELECT CAST(bump(id) AS CHAR) FROM t",
            "SELECT NEXT VALUE FOR s",
            "SELECT GREATEST(1, bump(id)) FROM t"})
    void aPossibleStoredFunctionCallLeavesTheQuestionOpen(String sql) {
        assertThat(provable(sql)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPDATE t SET k = k + 1", "INSERT INTO t VALUES (1)", "CALL p()"})
    void anythingButASelectIsNotProvable(String sql) {
        assertThat(provable(sql)).isFalse();
    }
}
