package org.alcor.southbound.mq;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Properties;

/**
 * TLS for one Kafka client of the MQ path: its certificate chain and PKCS#8 key and the CA it trusts, as PEM text
 * (Kafka's PEM key store, so no key store files are written). The broker takes the certificate's CN as the
 * client's principal: a host id for an agent, {@link #CONTROLLER_PRINCIPAL} for the controller.
 */
public record MqTls(String certificateChainPem, String privateKeyPem, String caPem) {
    /**
     * The controller's and the broker's principals: names with a space, which no host id can have, so that no
     * host certificate the CA issues can be a super user.
     */
    public static final String CONTROLLER_PRINCIPAL = "alcor controller", BROKER_PRINCIPAL = "alcor kafka broker";

    public static MqTls load(Path certificate, Path key, Path ca) {
        try {
            return new MqTls(Files.readString(certificate), Files.readString(key), Files.readString(ca));
        } catch (IOException e) {
            throw new UncheckedIOException("MQ TLS: cannot read " + e.getMessage(), e);
        }
    }

    /** Sets a client's security configuration: TLS, this certificate, this CA, the broker's name checked. */
    public Properties apply(Properties p) {
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.certificate.chain", certificateChainPem);
        p.put("ssl.keystore.key", privateKeyPem);
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.certificates", caPem);
        return p;
    }

    /** The client's certificate, DER (what a signed Hello carries). */
    public X509Certificate certificate() { return parseCertificate(der(certificateChainPem, "CERTIFICATE")); }

    /** The client's private key (an EC or RSA PKCS#8 key). */
    public PrivateKey privateKey() {
        byte[] der = der(privateKeyPem, "PRIVATE KEY");
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new IllegalArgumentException("MQ TLS: the key is not an unencrypted PKCS#8 EC or RSA key");
    }

    public X509Certificate ca() { return parseCertificate(der(caPem, "CERTIFICATE")); }

    public static X509Certificate parseCertificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** The first PEM block of the given type. */
    private static byte[] der(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----", end = "-----END " + type + "-----";
        int b = pem.indexOf(begin), e = b < 0 ? -1 : pem.indexOf(end, b);
        if (b < 0 || e < 0) throw new IllegalArgumentException("MQ TLS: no " + type + " in the PEM given");
        String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
        return Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
    }
}
