package io.shardwire.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.shardwire.config.TlsConfig;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS for client connections: one {@link SslContext} built at start from the configured PEM
 * certificate and key, or from a {@link SelfSignedCertificate}, and a fresh {@link SslHandler} per connection.
 */
public final class ServerTls {

    private final SslContext context;

    private ServerTls(SslContext context) {
        this.context = context;
    }

    /** The TLS context for {@code config}, which must have TLS enabled. */
    public static ServerTls of(TlsConfig config) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("TLS is not enabled");
        }
        try {
            SslContextBuilder builder;
            if (config.selfSigned()) {
                SelfSignedCertificate self = SelfSignedCertificate.generate("Shardwire self-signed");
                builder = SslContextBuilder.forServer(self.privateKey(), self.certificate());
            } else {
                builder = SslContextBuilder.forServer(config.certificate().toFile(), config.privateKey().toFile());
            }
            // TLS 1.2 and 1.3 only, as MySQL 8.4 and MariaDB 11.4 accept by default.
            return new ServerTls(builder.protocols("TLSv1.3", "TLSv1.2").build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS with certificate " + config.certificate()
                    + " and key " + config.privateKey() + ": " + e.getMessage(), e);
        }
    }

    /** A handler for one new connection, server mode. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        return context.newHandler(allocator);
    }
}
