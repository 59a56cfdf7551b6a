package io.shardwire.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.shardwire.proxy.protocol.constant.MySQLCapabilityFlag;
import java.util.List;

/**
 * Looks at the first packet a client sends after the greeting and, if it is an
 * <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html">SSLRequest</a>,
 * swallows it and puts an {@link io.netty.handler.ssl.SslHandler} in its own place at the head of the pipeline;
 * otherwise it just leaves. Either way the bytes that came after the first packet go on to the next handler
 * untouched, so TLS handshake bytes that arrive in the same read as the SSLRequest reach the SslHandler and not the
 * MySQL codec.
 *
 * <p>An SSLRequest is the first 32 bytes of a HandshakeResponse41 (capabilities with {@code CLIENT_SSL}, maximum
 * packet size, character set, 23 zero bytes) sent alone; a real HandshakeResponse41 is longer, since a user name
 * follows. The client continues with its HandshakeResponse41 (sequence id 2) over TLS.
 *
 * <p>Installed first in the pipeline, only when the server offers TLS.
 */
public final class SslRequestHandler extends ByteToMessageDecoder {

    /** The SSLRequest's payload length. */
    static final int SSL_REQUEST_LENGTH = 32;
    private static final int HEADER_LENGTH = 4;

    private final ServerTls tls;

    public SslRequestHandler(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER_LENGTH + 4) {
            return;
        }
        int start = in.readerIndex();
        int length = in.getUnsignedMediumLE(start);
        int capabilities = in.getIntLE(start + HEADER_LENGTH);
        if (length != SSL_REQUEST_LENGTH || !MySQLCapabilityFlag.CLIENT_SSL.isSet(capabilities)) {
            // Not asking for TLS: what was read goes to the MySQL codec as the handler leaves.
            ctx.pipeline().remove(this);
            return;
        }
        if (in.readableBytes() < HEADER_LENGTH + SSL_REQUEST_LENGTH) {
            return;
        }
        in.skipBytes(HEADER_LENGTH + SSL_REQUEST_LENGTH);
        // Replacing hands the rest of the read (the ClientHello, perhaps) to the SslHandler.
        ctx.pipeline().replace(this, "tls", tls.newHandler(ctx.alloc()));
    }
}
