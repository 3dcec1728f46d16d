package org.alcor.controller.pki;

import java.nio.file.Path;

/**
 * {@code bin/alcor host-cert HOST_ID --out DIR [--southbound-ca DIR | --data-dir DIR]}: issues a host's
 * southbound certificate from the controller's CA (creating the CA if there is none yet), into DIR as host.crt,
 * host.key and ca.crt, the files the agent's {@code --cert}, {@code --key} and {@code --ca} take. Run on the
 * controller's machine by its operator: reading the CA's key is what makes one admin here.
 */
public final class HostCert {
    private HostCert() {}

    public static void main(String[] args) {
        String hostId = null, out = null, ca = null, dataDir = "data";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = value(args, ++i);
                    case "--southbound-ca" -> ca = value(args, ++i);
                    case "--data-dir" -> dataDir = value(args, ++i);
                    default -> {
                        if (args[i].startsWith("--") || hostId != null) throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        hostId = args[i];
                    }
                }
            }
            if (hostId == null || out == null) throw new IllegalArgumentException("a HOST_ID and --out DIR are required");
            HostIds.check(hostId);
        } catch (IllegalArgumentException e) {
            System.err.println("alcor host-cert: " + e.getMessage());
            System.err.println("usage: alcor host-cert HOST_ID --out DIR [--southbound-ca DIR | --data-dir DIR (its pki/, default ./data/pki)]");
            System.exit(2);
            return;
        }
        Path caDir = ca != null ? Path.of(ca) : Path.of(dataDir).resolve("pki");
        CertificateAuthority authority = CertificateAuthority.openOrCreate(caDir);
        Path dir = Path.of(out);
        authority.writeHost(authority.issueHost(hostId), dir);
        System.out.println("alcor host-cert: " + dir.resolve("host.crt") + ", " + dir.resolve("host.key") + " and " + dir.resolve("ca.crt")
                + " for host " + hostId + " (CA in " + caDir + ")");
    }

    /** The value after an option (i is its index). */
    static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }
}
