package io.shardwire.proxy.protocol;

/**
 * A packet the server can send: something that knows how to write its own payload.
 *
 * <p>Framing (length, sequence id, splitting at 16 MiB) is not the packet's business; {@link MySQLPacketCodec} adds
 * it. Implementations are immutable values and never touch a Channel.
 */
public interface MySQLPacket {

    /**
     * Writes this packet's payload, without the 4-byte header.
     *
     * @param payload where to write, positioned at the first payload byte
     */
    void write(MySQLPayload payload);
}
