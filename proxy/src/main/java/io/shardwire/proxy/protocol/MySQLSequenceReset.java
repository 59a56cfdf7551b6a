package io.shardwire.proxy.protocol;

/**
 * An outbound marker for {@link MySQLPacketCodec}: the packets written after it continue from this sequence id. It
 * writes no bytes.
 *
 * <p>A response to a command starts at 1, since every command starts at 0. Writing this before each response keeps
 * the count right when a client pipelines commands (sends the next before reading the answer, as MariaDB
 * Connector/J does with prepare + execute): the codec has then already decoded later packets.
 *
 * @param nextSequenceId the id of the next packet written
 */
public record MySQLSequenceReset(int nextSequenceId) {

    /** The start of the response to a command. */
    public static final MySQLSequenceReset COMMAND_RESPONSE = new MySQLSequenceReset(1);
}
