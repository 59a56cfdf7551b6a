package io.shardwire.proxy.protocol.packet.command;

import java.util.Optional;

/**
 * The command byte that opens every client packet of the
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html">command phase</a>
 * ({@code enum_server_command} in {@code my_command.h}).
 */
public enum MySQLCommandType {

    COM_SLEEP(0x00),
    COM_QUIT(0x01),
    COM_INIT_DB(0x02),
    COM_QUERY(0x03),
    COM_FIELD_LIST(0x04),
    COM_CREATE_DB(0x05),
    COM_DROP_DB(0x06),
    COM_REFRESH(0x07),
    COM_SHUTDOWN(0x08),
    COM_STATISTICS(0x09),
    COM_PROCESS_INFO(0x0a),
    COM_CONNECT(0x0b),
    COM_PROCESS_KILL(0x0c),
    COM_DEBUG(0x0d),
    COM_PING(0x0e),
    COM_TIME(0x0f),
    COM_DELAYED_INSERT(0x10),
    COM_CHANGE_USER(0x11),
    COM_BINLOG_DUMP(0x12),
    COM_TABLE_DUMP(0x13),
    COM_CONNECT_OUT(0x14),
    COM_REGISTER_SLAVE(0x15),
    COM_STMT_PREPARE(0x16),
    COM_STMT_EXECUTE(0x17),
    COM_STMT_SEND_LONG_DATA(0x18),
    COM_STMT_CLOSE(0x19),
    COM_STMT_RESET(0x1a),
    COM_SET_OPTION(0x1b),
    COM_STMT_FETCH(0x1c),
    COM_DAEMON(0x1d),
    COM_BINLOG_DUMP_GTID(0x1e),
    COM_RESET_CONNECTION(0x1f),
    COM_CLONE(0x20),
    COM_SUBSCRIBE_GROUP_REPLICATION_STREAM(0x21);

    private static final MySQLCommandType[] BY_VALUE = new MySQLCommandType[256];

    static {
        for (MySQLCommandType type : values()) {
            BY_VALUE[type.value] = type;
        }
    }

    private final int value;

    MySQLCommandType(int value) {
        this.value = value;
    }

    /** The command byte. */
    public int value() {
        return value;
    }

    /**
     * The command with this byte, or empty for a byte no MySQL version defines; the usual answer to that is ERR 1047
     * {@code ER_UNKNOWN_COM_ERROR}.
     */
    public static Optional<MySQLCommandType> of(int value) {
        return value >= 0 && value < BY_VALUE.length ? Optional.ofNullable(BY_VALUE[value]) : Optional.empty();
    }
}
