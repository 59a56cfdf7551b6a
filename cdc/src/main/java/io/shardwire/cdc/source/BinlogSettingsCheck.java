package io.shardwire.cdc.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The startup check: the capture reads row images from the binlog, so it refuses a server that writes no binlog,
 * writes statements instead of rows ({@code binlog_format} STATEMENT or MIXED), or writes partial rows
 * ({@code binlog_row_image} MINIMAL or NOBLOB), whose before images would lack columns. Debezium would fail later
 * and less clearly, or, for row images, not at all.
 *
 * <p>Reads the global values, which the binlog of new sessions follows.
 */
public final class BinlogSettingsCheck {

    private BinlogSettingsCheck() {
    }

    /**
     * @param connection a connection to the server, any account
     * @param server     names the server in the message, e.g. {@code g0 primary 127.0.0.1:3306}
     * @throws CaptureRefusedException if a setting is wrong, naming each wrong one and the fix
     * @throws SQLException            if the settings cannot be read
     */
    public static void check(Connection connection, String server) throws SQLException {
        String logBin;
        String format;
        String rowImage;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image")) {
            row.next();
            logBin = row.getString(1);
            format = row.getString(2);
            rowImage = row.getString(3);
        }
        List<String> problems = new ArrayList<>();
        if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
            problems.add("log_bin is OFF (expected: ON; start mariadbd with --log-bin)");
        }
        if (!"ROW".equalsIgnoreCase(format)) {
            problems.add("binlog_format is " + format + " (expected: ROW; set binlog_format=ROW in the server's"
                    + " configuration, or SET GLOBAL binlog_format=ROW, which affects new sessions only)");
        }
        if (!"FULL".equalsIgnoreCase(rowImage)) {
            problems.add("binlog_row_image is " + rowImage + " (expected: FULL, so that before images hold every"
                    + " column; set binlog_row_image=FULL)");
        }
        if (!problems.isEmpty()) {
            throw new CaptureRefusedException("change capture refuses " + server + ": " + String.join("; ", problems));
        }
    }
}
