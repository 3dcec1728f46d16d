package org.alcor.controller.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.logging.Logger;
import org.alcor.southbound.mq.MqTls;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The southbound's certificate authority: one EC P-256 key and self-signed certificate in a directory
 * ({@code ca.crt}, {@code ca.key}, the key readable by its owner only), created on first use. It issues the
 * controller's server certificate at each start and one client certificate per host, whose subject CN is the host
 * id: the identity the southbound checks every Hello, report and lookup against. Whoever can read ca.key can act
 * as any host, so it stays on the controller's disk ({@code bin/alcor host-cert} is run there).
 */
public final class CertificateAuthority {
    private static final Logger LOG = Logger.getLogger(CertificateAuthority.class.getName());
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration CA_LIFETIME = Duration.ofDays(3650), LEAF_LIFETIME = Duration.ofDays(398);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** A key and the certificate the CA issued for it. */
    public record Issued(X509Certificate certificate, PrivateKey key) {}

    /**
     * The CA kept in dir, created there if the directory holds none. Replicas that start at once on one CA
     * directory take a lock on it first (and callers in one JVM take turns: a JVM cannot hold one file lock twice),
     * so that they cannot each create a CA of their own.
     */
    public static synchronized CertificateAuthority openOrCreate(Path dir) {
        try {
            Files.createDirectories(dir);
            try (var channel = java.nio.channels.FileChannel.open(dir.resolve("ca.lock"), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE); var lock = channel.lock()) {
                return openOrCreateLocked(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("southbound CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static CertificateAuthority openOrCreateLocked(Path dir) {
        Path crt = dir.resolve("ca.crt"), keyFile = dir.resolve("ca.key");
        try {
            if (Files.exists(crt) && Files.exists(keyFile)) return new CertificateAuthority(Pem.certificate(crt), Pem.privateKey(keyFile));
            if (Files.exists(crt) || Files.exists(keyFile)) {
                throw new IllegalStateException("southbound CA in " + dir + " is incomplete: ca.crt and ca.key belong together");
            }
            Files.createDirectories(dir);
            KeyPair pair = newKeyPair();
            X500Name name = name("Alcor southbound CA");
            var builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(Instant.now().minus(Duration.ofMinutes(5))),
                    Date.from(Instant.now().plus(CA_LIFETIME)), name, pair.getPublic());
            var ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(builder.build(signer(pair.getPrivate())));
            Pem.writePrivate(keyFile, pair.getPrivate());
            Pem.write(crt, cert);
            LOG.info(() -> "southbound: created a certificate authority in " + dir);
            return new CertificateAuthority(cert, pair.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException("southbound CA in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("southbound CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() { return certificate; }

    /** A client certificate for one host: CN = the host id, usable for TLS client authentication only. */
    public Issued issueHost(String hostId) {
        HostIds.check(hostId);
        return issue(hostId, List.of(new GeneralName(GeneralName.dNSName, hostId)), KeyPurposeId.id_kp_clientAuth);
    }

    /**
     * The subject of a controller replica's store certificate. A space is not allowed in a host id, so no host
     * certificate can pass for a replica and join the store's cluster.
     */
    public static final String REPLICA_PRINCIPAL = "alcor replica";

    /** A replica's certificate for the store's cluster: server and client of the other replicas. */
    public Issued issueReplica() { return issue(REPLICA_PRINCIPAL, List.of(), KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth); }

    /** The controller's Kafka client certificate: the principal the brokers make a super user of the MQ path. */
    public Issued issueMqController() { return issue(MqTls.CONTROLLER_PRINCIPAL, List.of(), KeyPurposeId.id_kp_clientAuth); }

    /**
     * A Kafka broker's certificate: a server for the given addresses and names, and a client of the other brokers
     * and of its KRaft controller (the broker principal, a super user too).
     */
    public Issued issueMqBroker(List<String> ipAddresses, List<String> dnsNames) {
        return issue(MqTls.BROKER_PRINCIPAL, altNames(ipAddresses, dnsNames), KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
    }

    /** A Kafka client's TLS with this certificate and this CA. */
    public MqTls mqTls(Issued issued) { return new MqTls(Pem.text(issued.certificate()), Pem.text(issued.key()), Pem.text(certificate)); }

    /** The controller's server certificate, valid for the given addresses and names (what agents dial). */
    public Issued issueServer(List<String> ipAddresses, List<String> dnsNames) {
        return issue("alcor-controller", altNames(ipAddresses, dnsNames), KeyPurposeId.id_kp_serverAuth);
    }

    private static List<GeneralName> altNames(List<String> ipAddresses, List<String> dnsNames) {
        List<GeneralName> names = new ArrayList<>();
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        return names;
    }

    private Issued issue(String commonName, List<GeneralName> altNames, KeyPurposeId... purposes) {
        try {
            KeyPair pair = newKeyPair();
            var builder = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(Instant.now().minus(Duration.ofMinutes(5))),
                    Date.from(Instant.now().plus(LEAF_LIFETIME)), name(commonName), pair.getPublic());
            var ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            if (!altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            return new Issued(sign(builder.build(signer(key))), pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("southbound CA: cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** Writes a host's certificate, key and the CA certificate into dir as host.crt, host.key (owner-only) and ca.crt. */
    public void writeHost(Issued issued, Path dir) { write(issued, dir, "host"); }

    /** Writes issued into dir as NAME.crt, NAME.key (owner-only) and ca.crt. */
    public void write(Issued issued, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Pem.write(dir.resolve(name + ".crt"), issued.certificate());
            Pem.writePrivate(dir.resolve(name + ".key"), issued.key());
            Pem.write(dir.resolve("ca.crt"), certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + name + " certificate into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X500Name name(String commonName) { return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(); }

    private static BigInteger serial() { return new BigInteger(127, RANDOM).add(BigInteger.ONE); }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException { return new JcaContentSignerBuilder(SIGNATURE).build(key); }

    private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /** PEM files: certificates and PKCS#8 keys, as OpenSSL and gRPC read them. */
    public static final class Pem {
        private Pem() {}

        public static X509Certificate certificate(Path file) throws IOException {
            try (var parser = new PEMParser(new StringReader(Files.readString(file)))) {
                if (!(parser.readObject() instanceof X509CertificateHolder holder)) throw new IOException(file + " holds no certificate");
                return sign(holder);
            } catch (GeneralSecurityException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }

        public static PrivateKey privateKey(Path file) throws IOException {
            try (var parser = new PEMParser(new StringReader(Files.readString(file)))) {
                Object o = parser.readObject();
                var converter = new JcaPEMKeyConverter();
                if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) return converter.getPrivateKey(info);
                if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
                throw new IOException(file + " holds no private key");
            }
        }

        public static String text(Object o) {
            try (var out = new StringWriter(); var w = new JcaPEMWriter(out)) {
                w.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
                w.flush();
                return out.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void write(Path file, X509Certificate cert) throws IOException { Files.writeString(file, text(cert)); }

        /** Owner-only from the start: the key is never readable by others, not even for a moment. */
        static void writePrivate(Path file, PrivateKey key) throws IOException {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text(key));
        }
    }
}
