package org.alcor.controller.pki;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/alcor kafka-cert --out DIR [--ip 127.0.0.1]... [--dns NAME]... [--southbound-ca DIR | --data-dir DIR]}:
 * issues a Kafka broker's certificate from the controller's CA (creating the CA if there is none yet), into DIR as
 * broker.crt, broker.key and ca.crt, what {@code bin/alcor kafka --tls DIR} takes. The broker then trusts the
 * controller (its Kafka client certificate comes from the same CA) and every host certificate of that CA.
 */
public final class KafkaCert {
    private KafkaCert() {}

    public static void main(String[] args) {
        String out = null, ca = null, dataDir = "data";
        List<String> ips = new ArrayList<>(), names = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = HostCert.value(args, ++i);
                    case "--ip" -> ips.add(HostCert.value(args, ++i));
                    case "--dns" -> names.add(HostCert.value(args, ++i));
                    case "--southbound-ca" -> ca = HostCert.value(args, ++i);
                    case "--data-dir" -> dataDir = HostCert.value(args, ++i);
                    default -> throw new IllegalArgumentException("unexpected argument: " + args[i]);
                }
            }
            if (out == null) throw new IllegalArgumentException("--out DIR is required");
        } catch (IllegalArgumentException e) {
            System.err.println("alcor kafka-cert: " + e.getMessage());
            System.err.println("usage: alcor kafka-cert --out DIR [--ip ADDRESS]... [--dns NAME]... [--southbound-ca DIR | --data-dir DIR (its pki/)]");
            System.exit(2);
            return;
        }
        if (ips.isEmpty() && names.isEmpty()) ips.add("127.0.0.1");
        Path caDir = ca != null ? Path.of(ca) : Path.of(dataDir).resolve("pki");
        CertificateAuthority authority = CertificateAuthority.openOrCreate(caDir);
        Path dir = Path.of(out);
        authority.write(authority.issueMqBroker(ips, names), dir, "broker");
        System.out.println("alcor kafka-cert: " + dir.resolve("broker.crt") + ", " + dir.resolve("broker.key") + " and " + dir.resolve("ca.crt")
                + " for a broker at " + String.join(", ", ips) + (names.isEmpty() ? "" : " " + String.join(", ", names)) + " (CA in " + caDir + ")");
    }
}
