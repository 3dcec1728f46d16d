package org.alcor.southbound.mq;

import com.google.protobuf.ByteString;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.alcor.proto.Hello;

/**
 * A Hello on the agents topic proves which host says it. Kafka's ACLs cannot tell one host's records from another's
 * in a shared topic, so the agent signs its Hello with its host key and sends its certificate along; the controller
 * checks that the CA issued it to the host the Hello names. What follows on that stream is bound to the Hello by its
 * stream id, which only the controller and that agent know (agents may write the agents topic but not read it).
 * A Hello older than {@link #MAX_AGE} is refused, so a record copied from elsewhere cannot be replayed much later.
 */
public final class SignedHello {
    public static final Duration MAX_AGE = Duration.ofMinutes(5);

    private SignedHello() {}

    /** The Hello with this stream id, signed with the client's key. */
    public static Hello sign(Hello.Builder hello, String streamId, MqTls tls) {
        try {
            X509Certificate cert = tls.certificate();
            hello.setCertificate(ByteString.copyFrom(cert.getEncoded())).setSignedAtMillis(System.currentTimeMillis()).clearSignature();
            Signature s = Signature.getInstance(algorithm(cert));
            s.initSign(tls.privateKey());
            s.update(signedBytes(hello.build(), streamId));
            return hello.setSignature(ByteString.copyFrom(s.sign())).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MQ TLS: cannot sign the Hello: " + e.getMessage(), e);
        }
    }

    /** Null when the Hello of this stream was signed by the host it names, with a certificate of this CA; else why not. */
    public static String refusal(Hello hello, String streamId, X509Certificate ca, long nowMillis) {
        if (hello.getSignature().isEmpty() || hello.getCertificate().isEmpty()) return "the Hello is not signed";
        if (Math.abs(nowMillis - hello.getSignedAtMillis()) > MAX_AGE.toMillis()) return "the Hello was signed at another time (" + hello.getSignedAtMillis() + ")";
        X509Certificate cert;
        try {
            cert = MqTls.parseCertificate(hello.getCertificate().toByteArray());
            cert.verify(ca.getPublicKey());
            cert.checkValidity(new Date(nowMillis));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "its certificate is not one of this controller's CA (" + e.getMessage() + ")";
        }
        String cn = commonName(cert);
        if (!hello.getHostId().equals(cn)) return "it is signed by host " + cn;
        try {
            Signature s = Signature.getInstance(algorithm(cert));
            s.initVerify(cert.getPublicKey());
            s.update(signedBytes(hello.toBuilder().clearSignature().build(), streamId));
            return s.verify(hello.getSignature().toByteArray()) ? null : "the signature does not match";
        } catch (GeneralSecurityException e) {
            return "the signature cannot be checked (" + e.getMessage() + ")";
        }
    }

    /** The stream id and the Hello without its signature (both sides are protobuf-java: one serialization). */
    private static byte[] signedBytes(Hello unsigned, String streamId) {
        byte[] id = streamId.getBytes(java.nio.charset.StandardCharsets.UTF_8), body = unsigned.toByteArray();
        return java.nio.ByteBuffer.allocate(4 + id.length + body.length).putInt(id.length).put(id).put(body).array();
    }

    private static String algorithm(X509Certificate cert) {
        return cert.getPublicKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    }

    static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return rdn.getValue().toString();
            }
        } catch (InvalidNameException e) {
            return "";
        }
        return "";
    }
}
