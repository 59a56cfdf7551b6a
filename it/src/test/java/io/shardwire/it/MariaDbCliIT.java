package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code mariadb} command-line client, run as a subprocess, against the proxy. */
class MariaDbCliIT {

    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.start("cli", 1);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static MariaDbCli.Result mariadb(String user, String password, String schema, String sql) throws Exception {
        return MariaDbCli.run(fixture.proxy.port(), user, password, schema, sql);
    }

    @Test
    void crudThroughTheCli() throws Exception {
        MariaDbCli.Result result = mariadb("app", "app", "shop",
                "DROP TABLE IF EXISTS cli_t; CREATE TABLE cli_t (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(6,2));"
                        + " INSERT INTO cli_t VALUES (1, 'one', 1.10), (2, 'two', 2.20), (3, 'three', NULL);"
                        + " UPDATE cli_t SET name = 'TWO' WHERE id = 2; DELETE FROM cli_t WHERE id = 1;"
                        + " SELECT id, name, price FROM cli_t ORDER BY id; SELECT COUNT(*) FROM cli_t;");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("2\tTWO\t2.20\n3\tthree\tNULL\n2\n");
    }

    @Test
    void severalStatementsSentAsOneTextEachAnswer() throws Exception {
        // With a delimiter of its own, the CLI sends "SELECT 1; SELECT 2" as one COM_QUERY, with multi-statements on.
        MariaDbCli.Result result = mariadb("app", "app", "shop", "DROP TABLE IF EXISTS cli_multi;"
                + " CREATE TABLE cli_multi (id INT PRIMARY KEY); INSERT INTO cli_multi VALUES (3);"
                + "\nDELIMITER //\nSELECT 1; SELECT 2; SELECT id FROM cli_multi WHERE id = 3 //");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo("1\n2\n3\n");
    }

    @Test
    void wrongPasswordGivesError1045() throws Exception {
        MariaDbCli.Result result = mariadb("app", "wrong", "shop", "SELECT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ERROR 1045 (28000)").contains("Access denied for user 'app'");
    }

    @Test
    void unknownSchemaGivesError1049() throws Exception {
        MariaDbCli.Result result = mariadb("app", "app", "nosuchdb", "SELECT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ERROR 1049 (42000)").contains("Unknown database 'nosuchdb'");
    }

    @Test
    void missingTableErrorIsPassedThrough() throws Exception {
        MariaDbCli.Result result = mariadb("app", "app", "shop", "SELECT * FROM no_such_table");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ERROR 1146 (42S02)");
    }

    @Test
    void adminSeesEverySchemaAndCanUseOne() throws Exception {
        MariaDbCli.Result result = mariadb("admin", "admin", null, "SHOW DATABASES; USE shop; SELECT DATABASE();");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo("information_schema\nshop\nshop\n");
    }
}
