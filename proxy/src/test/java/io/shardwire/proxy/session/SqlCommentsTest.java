package io.shardwire.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlCommentsTest {

    @Test
    void commentsAreBlanks() {
        assertThat(SqlComments.asCode("SHOW/* a */VARIABLES")).isEqualTo("SHOW VARIABLES");
        assertThat(SqlComments.asCode("SHOW -- a\nVARIABLES # b\n;")).isEqualTo("SHOW  VARIABLES  ;");
        assertThat(SqlComments.asCode("SHOW --x")).isEqualTo("SHOW --x");
        assertThat(SqlComments.asCode("SHOW /* unclosed")).isEqualTo("SHOW  ");
    }

    @Test
    void executableCommentsAreCodeWithOrWithoutAVersion() {
        assertThat(SqlComments.asCode("SHOW /*!40000 GLOBAL */ VARIABLES")).isEqualTo("SHOW   GLOBAL   VARIABLES");
        assertThat(SqlComments.asCode("SHOW /*M!100100GLOBAL*/ VARIABLES")).isEqualTo("SHOW  GLOBAL  VARIABLES");
        assertThat(SqlComments.asCode("SHOW /*!GLOBAL*/ VARIABLES")).isEqualTo("SHOW  GLOBAL  VARIABLES");
        assertThat(SqlComments.asCode("SHOW VARIABLES /*!LIKE '*/'*/")).isEqualTo("SHOW VARIABLES  LIKE '*/' ");
    }

    @Test
    void quotedTextIsKeptWhole() {
        assertThat(SqlComments.asCode("SELECT '/* a */', \"-- b\", `#c` /* d */"))
                .isEqualTo("SELECT '/* a */', \"-- b\", `#c`  ");
        assertThat(SqlComments.asCode("SELECT 'it''s /*', 'a\\' -- ' #x")).isEqualTo("SELECT 'it''s /*', 'a\\' -- '  ");
    }

    @Test
    void executableCommentsMariaDbRunsAreOpenedAndOthersKept() {
        assertThat(SqlComments.openExecutable("SELECT 1")).isEqualTo("SELECT 1");
        assertThat(opened("/*!40101 SET NAMES utf8mb4 */")).isEqualTo("SET NAMES utf8mb4");
        assertThat(opened("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop`")).isEqualTo("CREATE DATABASE IF NOT EXISTS `shop`");
        assertThat(opened("/*M!100100 SET @a = 1 */ /* plain */ SELECT '/*!1 x */' -- c\n"))
                .isEqualTo("SET @a = 1 /* plain */ SELECT '/*!1 x */' -- c");
        assertThat(opened("SELECT 1 /*!50700 , 2 */ /*!999999 , 3 */ /*! , 4 */"))
                .isEqualTo("SELECT 1 /*!50700 , 2 */ /*!999999 , 3 */ , 4");
    }

    private static String opened(String sql) {
        return SqlComments.openExecutable(sql).replaceAll("\\s+", " ").trim();
    }
}
