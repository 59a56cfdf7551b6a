package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwire.config.UserConfig;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerPrivilegesTest {

    private static final UserConfig APP = new UserConfig("app", "app", Set.of("shop"), false);
    private static final UserConfig ADMIN = new UserConfig("admin", "admin", Set.of(), true);

    private static Optional<SessionError> refusal(String sql, UserConfig user) {
        String code = SqlComments.openExecutable(sql);
        return ServerPrivileges.refusal(code, StatementKeyword.of(code), user, "127.0.0.1",
                database -> user.maySee(database.startsWith("shop_") ? "shop" : database));
    }

    private static String refusalOf(String sql) {
        return refusal(sql, APP).map(e -> e.code() + " " + e.message()).orElse("allowed");
    }

    @Test
    void serverWideStatementsNeedTheirPrivilege() {
        assertThat(refusalOf("SET GLOBAL max_connections = 500"))
                .isEqualTo("1227 Access denied; you need (at least one of) the SUPER privilege(s) for this operation");
        assertThat(refusalOf("set @@global.innodb_lock_wait_timeout = 49")).startsWith("1227").contains("SUPER");
        assertThat(refusalOf("SET sql_mode = '', GLOBAL max_connections = 5")).startsWith("1227");
        assertThat(refusalOf("CREATE USER hx@localhost")).contains("CREATE USER");
        assertThat(refusalOf("create or replace role r")).contains("CREATE USER");
        assertThat(refusalOf("GRANT ALL ON *.* TO app")).contains("CREATE USER");
        assertThat(refusalOf("FLUSH TABLES")).contains("RELOAD");
        assertThat(refusalOf("SHUTDOWN")).contains("SHUTDOWN");
        assertThat(refusalOf("INSTALL SONAME 'ha_blackhole'")).contains("SUPER");
        assertThat(refusalOf("STOP SLAVE")).contains("SUPER");
        assertThat(refusalOf("SHOW BINLOG EVENTS")).contains("REPLICATION CLIENT");
        assertThat(refusalOf("SET PASSWORD = PASSWORD('x')")).startsWith("1235");
        assertThat(refusalOf("SHOW ENGINE INNODB STATUS")).contains("PROCESS");
        assertThat(refusalOf("CREATE FUNCTION zz RETURNS STRING SONAME 'x.so'")).contains("SUPER");
        assertThat(refusalOf("CREATE FUNCTION f() RETURNS INT RETURN 1")).isEqualTo("allowed");
        assertThat(refusalOf("SELECT trx_query FROM information_schema.INNODB_TRX")).contains("PROCESS");
        assertThat(refusalOf("SELECT * FROM information_schema.USER_PRIVILEGES")).contains("PROCESS");
        assertThat(refusalOf("SELECT * FROM information_schema.TABLES")).isEqualTo("allowed");
    }

    @Test
    void theServersFilesAreRefusedAsWithoutTheFilePrivilege() {
        String denied = "1045 Access denied for user 'app'@'127.0.0.1' (using password: YES)";
        assertThat(refusalOf("SELECT 1 INTO OUTFILE '/tmp/x'")).isEqualTo(denied);
        assertThat(refusalOf("SELECT id FROM t WHERE id = 1 INTO DUMPFILE '/tmp/x'")).isEqualTo(denied);
        assertThat(refusalOf("SELECT load_file('/etc/hostname')")).isEqualTo(denied);
        assertThat(refusalOf("LOAD DATA INFILE '/etc/passwd' INTO TABLE t")).isEqualTo(denied);
        assertThat(refusalOf("LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t")).isEqualTo("allowed");
        // A word in a string is a value, not a keyword.
        assertThat(refusalOf("SELECT 'INTO OUTFILE', 'LOAD_FILE(' FROM t")).isEqualTo("allowed");
        assertThat(refusalOf("INSERT INTO files (name) VALUES ('profile')")).isEqualTo("allowed");
    }

    @Test
    void aDatabaseThatIsNotOneOfTheUsersSchemasIsNotTheirsToCreateOrDrop() {
        assertThat(refusalOf("CREATE DATABASE h_evil"))
                .isEqualTo("1044 Access denied for user 'app'@'127.0.0.1' to database 'h_evil'");
        assertThat(refusalOf("DROP SCHEMA IF EXISTS `victim`")).contains("to database 'victim'");
        assertThat(refusalOf("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `other_0`")).contains("to database 'other_0'");
        // A data node database of the user's schema: the planner answers (DROP DATABASE shop_0 is refused there).
        assertThat(refusalOf("DROP DATABASE shop_0")).isEqualTo("allowed");
        assertThat(refusalOf("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop`")).isEqualTo("allowed");
        assertThat(refusalOf("DROP DATABASE shop")).isEqualTo("allowed");
    }

    @Test
    void sqlLevelPreparedStatementsAreRefusedTheirTextIsNotTheProxys() {
        for (String sql : new String[] {"PREPARE s FROM 'SELECT user, password FROM mysql.user'",
                "prepare s from @q", "EXECUTE IMMEDIATE 'SELECT 1 INTO OUTFILE ''/tmp/x'''",
                "/*!40000 PREPARE s FROM 'SET GLOBAL max_connections = 5' */"}) {
            assertThat(refusalOf(sql)).as(sql).startsWith("1235").contains("SQL-level PREPARE");
        }
        assertThat(refusalOf("EXECUTE s")).isEqualTo("allowed");
        assertThat(refusal("PREPARE s FROM 'SELECT 1'", ADMIN)).isEmpty();
    }

    @Test
    void executableCommentsAreReadAsTheServerRunsThem() {
        assertThat(refusalOf("/*!40000 SELECT LOAD_FILE('/etc/hostname') */")).startsWith("1045");
        assertThat(refusalOf("/*!40101 SET GLOBAL max_connections = 5 */")).startsWith("1227");
        assertThat(refusalOf("/*M!100100 CREATE USER x */")).startsWith("1227");
        // MariaDB skips comments for MySQL 5.7 and later, and for versions after its own.
        assertThat(refusalOf("/*!50700 SET GLOBAL max_connections = 5 */")).isEqualTo("allowed");
        assertThat(refusalOf("/*!999999 SET GLOBAL max_connections = 5 */")).isEqualTo("allowed");
    }

    @Test
    void ordinaryStatementsAndAdminsPass() {
        for (String sql : new String[] {"SELECT * FROM customers WHERE id = 1", "SET @a = 1", "SET SESSION sql_mode = ''",
                "SET time_zone = '+00:00'", "CREATE TABLE t (id INT)", "DROP TABLE t", "ALTER TABLE t ADD c INT",
                "START TRANSACTION", "SHOW TABLES", "SHOW VARIABLES LIKE 'global%'", "UPDATE t SET global = 1",
                "CREATE PROCEDURE p() SELECT 1", "RESET_ROWS"}) {
            assertThat(refusal(sql, APP)).as(sql).isEmpty();
        }
        assertThat(refusal("SET GLOBAL max_connections = 500", ADMIN)).isEmpty();
        assertThat(refusal("CREATE DATABASE anything", ADMIN)).isEmpty();
    }
}
