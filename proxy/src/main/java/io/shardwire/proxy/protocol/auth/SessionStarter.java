package io.shardwire.proxy.protocol.auth;

import io.netty.channel.ChannelHandlerContext;
import io.shardwire.proxy.protocol.packet.generic.MySQLErrPacket;
import java.util.Optional;

/**
 * Called by {@link AuthenticationHandler} on the event loop once a client has authenticated, before the OK packet is
 * sent. It checks what only the session layer knows (for example that the requested schema exists and the user may
 * use it) and installs the command-phase handler, e.g. with
 * {@code ctx.pipeline().addAfter(ctx.name(), "command", handler)}.
 *
 * <p>Returning an error makes the handler send that ERR packet and close the connection; returning empty makes it
 * send OK and remove itself, so the next packet reaches the installed handler. Must not write to the channel.
 */
@FunctionalInterface
public interface SessionStarter {

    /**
     * @param ctx the authentication handler's context, for access to the pipeline and channel
     * @param client who authenticated and what was negotiated
     * @return the ERR packet to refuse the session with, or empty to accept it
     */
    Optional<MySQLErrPacket> start(ChannelHandlerContext ctx, AuthenticatedClient client);
}
