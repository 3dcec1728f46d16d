package org.alcor.controller.store;

import java.io.Serial;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.cache.configuration.Factory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.alcor.controller.pki.CertificateAuthority;

/**
 * Mutual TLS between the store's nodes (discovery, communication, the client connector): each replica holds a
 * certificate the controller's CA issued to {@link CertificateAuthority#REPLICA_PRINCIPAL} and accepts only peers
 * that hold one too. Chaining to the CA is not enough, since the same CA issues every host's certificate: a host
 * must not be able to join the cluster and read the tables. Ignite asks this factory for its SSL context.
 */
public final class ClusterTls implements Factory<SSLContext> {
    @Serial private static final long serialVersionUID = 1L;
    /** TLS 1.2: Ignite's NIO TLS handler is documented and tested with it. */
    private static final String PROTOCOL = "TLSv1.2";
    private static final char[] NO_PASSWORD = new char[0];

    private final X509Certificate certificate, ca;
    private final PrivateKey key;

    ClusterTls(X509Certificate certificate, PrivateKey key, X509Certificate ca) {
        this.certificate = certificate;
        this.key = key;
        this.ca = ca;
    }

    /** A fresh replica certificate from the CA in caDir (every replica of a region shares it). */
    public static ClusterTls issue(Path caDir) {
        var authority = CertificateAuthority.openOrCreate(caDir);
        var issued = authority.issueReplica();
        return new ClusterTls(issued.certificate(), issued.key(), authority.certificate());
    }

    @Override
    public SSLContext create() {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("replica", key, NO_PASSWORD, new X509Certificate[] {certificate, ca});
            var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers.getKeyManagers(), new TrustManager[] {trustManager()}, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("store TLS: " + e.getMessage(), e);
        }
    }

    /** Trusts the CA's replicas only. */
    X509TrustManager trustManager() throws GeneralSecurityException, java.io.IOException { return new ReplicasOnly(chainsToCa()); }

    private X509TrustManager chainsToCa() throws GeneralSecurityException, java.io.IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x) return x;
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    /** A peer chains to the CA and is a replica. */
    private record ReplicasOnly(X509TrustManager chain) implements X509TrustManager {
        private static final X500Principal REPLICA = new X500Principal("CN=" + CertificateAuthority.REPLICA_PRINCIPAL);

        @Override
        public void checkClientTrusted(X509Certificate[] peer, String authType) throws CertificateException {
            chain.checkClientTrusted(peer, authType);
            requireReplica(peer);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] peer, String authType) throws CertificateException {
            chain.checkServerTrusted(peer, authType);
            requireReplica(peer);
        }

        private static void requireReplica(X509Certificate[] peer) throws CertificateException {
            if (!REPLICA.equals(peer[0].getSubjectX500Principal())) {
                throw new CertificateException("store: " + peer[0].getSubjectX500Principal().getName() + " is not a controller replica");
            }
        }

        @Override public X509Certificate[] getAcceptedIssuers() { return chain.getAcceptedIssuers(); }
    }
}
