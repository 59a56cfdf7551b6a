package io.shardwire.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountsInitFileTest {

    @Test
    void literalsSurviveQuotesBackslashesAndNewlines() {
        assertThat(AccountsInitFile.literal("it's a\\b\nc")).isEqualTo("'it\\'s a\\\\b\\nc'");
    }

    @Test
    void writesOneStatementPerLineWithTheBinlogOffFirstAndKeepsItPrivate() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "accounts-init-file-test"));
        Path file = dir.resolve("init.sql");

        AccountsInitFile.write(file, "app", "pa'ss\nword", "replpw");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.getFirst()).isEqualTo("SET SESSION sql_log_bin=0;");
        assertThat(lines).allMatch(line -> line.endsWith(";"))
                .contains("GRANT ALL PRIVILEGES ON *.* TO 'app'@'127.0.0.1' WITH GRANT OPTION;",
                        "GRANT ALL PRIVILEGES ON *.* TO 'app'@'localhost' WITH GRANT OPTION;",
                        "ALTER USER 'app'@'127.0.0.1' IDENTIFIED BY 'pa\\'ss\\nword';",
                        "GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN, BINLOG MONITOR ON *.* TO 'repl'@'127.0.0.1';");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
