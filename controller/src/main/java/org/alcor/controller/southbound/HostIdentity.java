package org.alcor.controller.southbound;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.logging.Logger;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is calling, from the client certificate TLS verified against the southbound CA: its subject CN is the host id
 * (the CA issues nothing else). Every call carries it in the gRPC context, and the service refuses a Hello, a
 * report or a lookup for any other host. Without a verified certificate a call does not start.
 */
final class HostIdentity implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(HostIdentity.class.getName());
    static final Context.Key<String> HOST = Context.key("alcor-host-identity");

    /** The calling host, or null on a plaintext (insecure) southbound where callers are not identified. */
    static String current() { return HOST.get(); }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String host = hostOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (host == null) {
            LOG.warning(() -> "southbound: refused a call from " + call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)
                    + " without a host certificate");
            call.close(Status.UNAUTHENTICATED.withDescription("a host certificate issued by this controller's CA is required"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(HOST, host), call, headers, next);
    }

    static String hostOf(SSLSession session) {
        if (session == null) return null;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) return null;
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return rdn.getValue().toString();
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }
}
