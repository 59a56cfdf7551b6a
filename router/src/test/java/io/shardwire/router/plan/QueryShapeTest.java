package io.shardwire.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryShapeTest {

    @Test
    void integersComparedInListsAndBetweenBoundsAreTakenOut() {
        assertShape("SELECT c FROM sbtest1 WHERE id=5012", "SELECT c FROM sbtest1 WHERE id=?", 5012L);
        assertShape("SELECT * FROM t WHERE a >= 1 AND b<>0 AND c <=> 7 AND d != 8 AND e < 9 AND f > 10 AND g <= 11",
                "SELECT * FROM t WHERE a >= ? AND b<>? AND c <=> ? AND d != ? AND e < ? AND f > ? AND g <= ?",
                1L, 0L, 7L, 8L, 9L, 10L, 11L);
        assertShape("SELECT c FROM t WHERE id BETWEEN 10 AND 109 AND k = 3",
                "SELECT c FROM t WHERE id BETWEEN ? AND ? AND k = ?", 10L, 109L, 3L);
        assertShape("SELECT c FROM t WHERE id NOT IN (1, 2,3) AND 4 = k",
                "SELECT c FROM t WHERE id NOT IN (?, ?,?) AND 4 = k", 1L, 2L, 3L);
        assertShape("UPDATE t SET k=k+1 WHERE id=42", "UPDATE t SET k=k+1 WHERE id=?", 42L);
        assertShape("DELETE FROM t WHERE id = 999999999999999999", "DELETE FROM t WHERE id = ?", 999999999999999999L);
    }

    @Test
    void literalsWhoseMeaningAPlaceholderWouldChangeStay() {
        for (String sql : List.of(
                "SELECT 1, a FROM t ORDER BY 1",
                "SELECT a, COUNT(*) FROM t GROUP BY 1 LIMIT 5",
                "SELECT a FROM t LIMIT 10 OFFSET 20",
                "SELECT LEFT(a, 3), ROUND(b, 2) FROM t",
                "SELECT * FROM t WHERE a = 1.5 OR b = 1e3 OR c = 0x1F OR d = 007 OR e = -4 OR f = .5",
                "SELECT * FROM t WHERE a = 1234567890123456789",
                "SELECT * FROM t1 WHERE t1.a = b.1",
                "SELECT * FROM t WHERE a LIKE 'x = 5' AND b = \"6\" AND `c = 7` = d",
                "SELECT * FROM t WHERE a = _utf8mb4'x' AND b = DATE '2026-11-28' AND c = X'0F' AND d = N'z'",
                "SELECT * FROM t WHERE c->'$.a' = d AND c->>'$.b' = e AND LEFT(a, 'x') = CONCAT('y', b)",
                "SELECT * FROM t WHERE a = c -- = 5\n",
                "SELECT * FROM t WHERE a = c # = 5\n",
                "SELECT * FROM t WHERE a = /* = 5 */ c",
                "SELECT * FROM t WHERE a = 1abc",
                "SELECT * FROM t WHERE a IN ((1, 2), (3, 4)) AND b IN (c + 1)",
                "INSERT INTO t (a, b) VALUES (1, 2)",
                "SET @x := 5")) {
            assertThat(QueryShape.of(sql)).as(sql).hasValue(new QueryShape(sql, List.of()));
        }
    }

    @Test
    void textThatLexesDifferentlyInSomeModeHasNoShape() {
        assertThat(QueryShape.of("SELECT * FROM t WHERE a = 'it\\'s' AND id = 5")).isEmpty();
        assertThat(QueryShape.of("SELECT * FROM t WHERE id = ?")).isEmpty();
        assertThat(QueryShape.of("SELECT /*!50000 a = 5, */ b FROM t")).isEmpty();
        assertThat(QueryShape.of("SELECT * FROM t WHERE a = 'open")).isEmpty();
        assertThat(QueryShape.of("SELECT * FROM t WHERE a = 'joined' ' strings'")).as("adjacent strings").isEmpty();
    }

    @Test
    void singleQuotedStringsComparedInListsAndBetweenBoundsAreTakenOut() {
        assertShape("SELECT * FROM users WHERE email = 'a@b.c'", "SELECT * FROM users WHERE email = ?", "a@b.c");
        assertShape("SELECT * FROM t WHERE id = '42' AND name IN ('it''s', '', 'Zürich') AND d BETWEEN '2026-01-01' AND"
                        + " '2026-12-31' AND k = 7",
                "SELECT * FROM t WHERE id = ? AND name IN (?, ?, ?) AND d BETWEEN ? AND ? AND k = ?",
                "42", "it's", "", "Zürich", "2026-01-01", "2026-12-31", 7L);
        assertShape("UPDATE t SET name='x, y' WHERE id=42", "UPDATE t SET name=? WHERE id=?", "x, y", 42L);
        assertShape("SELECT * FROM t WHERE a = 'x' COLLATE utf8mb4_bin", "SELECT * FROM t WHERE a = ? COLLATE utf8mb4_bin", "x");
    }

    @Test
    void inliningWritesTheValuesBackAsTheLiteralsTheyWere() {
        String sql = "SELECT * FROM t WHERE id = '42' AND name IN ('it''s', '', 'Zürich') AND k = 7";
        QueryShape shape = QueryShape.of(sql).orElseThrow();
        assertThat(Placeholders.inline(shape.text(), shape.values())).isEqualTo(sql);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Placeholders.inline("a = ?", List.of("x\\y"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertShape(String sql, String text, Object... values) {
        assertThat(QueryShape.of(sql)).as(sql).hasValue(new QueryShape(text, List.of(values)));
    }
}
