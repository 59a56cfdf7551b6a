package io.shardwire.proxy.protocol;

/**
 * Emitted by {@link MySQLPacketCodec} in place of a logical packet longer than its {@code maxPacketSize}.
 *
 * <p>The codec emits this marker as soon as a header reveals the overflow, then discards the rest of that packet as
 * it arrives, without buffering it. The handler that receives the marker decides what to do; the usual answer, as
 * MySQL does, is ERR 1153 {@code ER_NET_PACKET_TOO_LARGE} followed by closing the connection.
 *
 * @param minimumLength how many payload bytes the packet announced up to the piece that overflowed; the packet may
 *     turn out to be longer
 * @param maxPacketSize the limit that was exceeded
 */
public record MySQLPacketTooLarge(long minimumLength, int maxPacketSize) {
}
