package org.alcor.agent.southbound;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The agent's southbound credentials: its host certificate and key (issued by {@code bin/alcor host-cert}, the
 * subject naming this host) and the controller's CA certificate, which the controller's server certificate must
 * chain to and name the address dialled.
 */
public record SouthboundTlsFiles(Path cert, Path key, Path ca) {
    public SouthboundTlsFiles {
        for (Path p : new Path[] {cert, key, ca}) {
            if (!Files.isReadable(p)) throw new IllegalArgumentException("cannot read " + p);
        }
    }

    public SslContext clientContext() {
        try {
            return GrpcSslContexts.forClient().trustManager(ca.toFile()).keyManager(cert.toFile(), key.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("southbound TLS from " + cert + ", " + key + " and " + ca + ": " + e.getMessage(), e);
        }
    }
}
