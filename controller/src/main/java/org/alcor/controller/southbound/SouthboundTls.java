package org.alcor.controller.southbound;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.alcor.controller.pki.CertificateAuthority;

/**
 * The southbound's TLS: a server certificate issued at each start by the CA in the settings' directory (for every
 * address of this machine and its names, so agents may dial any of them), and client certificates required and
 * verified against the same CA.
 */
final class SouthboundTls {
    private SouthboundTls() {}

    static SslContext serverContext(SouthboundSettings settings) {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(settings.caDir());
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        Set<String> names = new LinkedHashSet<>(List.of("localhost"));
        if (!settings.host().isEmpty() && !settings.host().equals("0.0.0.0") && !settings.host().equals("::")) {
            if (settings.host().matches("[0-9.]+|.*:.*")) ips.add(settings.host()); else names.add(settings.host());
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) ips.add(a.getHostAddress().replaceFirst("%.*$", ""));
            }
        } catch (SocketException e) {
            // the loopback names above still serve local agents
        }
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (java.io.IOException e) {
            // no resolvable hostname: agents dial an address
        }
        CertificateAuthority.Issued server = ca.issueServer(new ArrayList<>(ips), new ArrayList<>(names));
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(server.key(), server.certificate(), ca.certificate()))
                    .trustManager(ca.certificate()).clientAuth(ClientAuth.REQUIRE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("southbound: cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
