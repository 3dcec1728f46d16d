package org.alcor.agent;

import java.nio.file.Path;
import org.alcor.agent.southbound.SouthboundTlsFiles;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/alcor agent --host-id H --controller HOST:PORT[,HOST:PORT...] (the controller's replicas) --ovs-db unix:/path/db.sock --bridge br-int
 * --underlay-ip IP [--openflow unix:/path/br-int.mgmt] [--datapath-type netdev] [--bundle-chunk 50000]
 * --cert host.crt --key host.key --ca ca.crt [--kafka HOST:PORT,...]}: the per-host agent (with --kafka, the controller may
 * serve it over the MQ path). Wires the goal-state stream to the core that programs OVS.
 */
public final class Main {
    static final String VERSION = "0.1.0";

    private Main() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        if (o.containsKey("help")) { usage(); return; }
        for (String k : new String[] {"host-id", "controller", "underlay-ip"}) {
            if (!o.containsKey(k)) { System.err.println("alcor agent: --" + k + " is required"); usage(); System.exit(2); }
        }
        String ovsDb = o.getOrDefault("ovs-db", "unix:/var/run/openvswitch/db.sock");
        String bridge = o.getOrDefault("bridge", "br-int");
        Path of = o.containsKey("openflow") ? Path.of(o.get("openflow").replaceFirst("^unix:", "")) : AgentConfig.defaultOpenflowSocket(ovsDb, bridge);
        AgentConfig cfg = new AgentConfig(o.get("host-id"), ovsDb, bridge, o.get("underlay-ip"), of,
                o.getOrDefault("datapath-type", ""), Integer.parseInt(o.getOrDefault("bundle-chunk", "50000")), 30_000);
        int reconcile = Integer.parseInt(o.getOrDefault("reconcile-seconds", "60"));
        if (reconcile < 0) {
            System.err.println("alcor agent: --reconcile-seconds must be 0 (off) or more, not " + reconcile);
            System.exit(2);
        }
        cfg = cfg.withReconcileMillis(reconcile * 1000L);

        SouthboundTlsFiles tls;
        try {
            tls = tls(o);
        } catch (IllegalArgumentException e) {
            System.err.println("alcor agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        String controller = o.get("controller");
        java.util.List<String> controllers = java.util.Arrays.stream(controller.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
        try {
            controllers.forEach(org.alcor.agent.southbound.Controllers::hostPort);
        } catch (IllegalArgumentException e) {
            System.err.println("alcor agent: --controller: " + e.getMessage());
            System.exit(2);
            return;
        }
        org.alcor.southbound.mq.MqLayout mq;
        try {
            mq = mq(o);
        } catch (IllegalArgumentException e) {
            System.err.println("alcor agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        HostAgent agent = new HostAgent(cfg, controllers, VERSION, tls, mq);
        int rescueAfter = Integer.parseInt(o.getOrDefault("rescue-after-seconds", "30"));
        if (rescueAfter < 1) {
            System.err.println("alcor agent: --rescue-after-seconds must be at least 1, not " + rescueAfter);
            System.exit(2);
        }
        agent.rescueAfter(java.time.Duration.ofSeconds(rescueAfter));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stop.countDown();
        }, "agent-shutdown"));
        agent.start();
        System.err.println("alcor agent " + cfg.hostId() + ": " + cfg.bridge() + " via " + cfg.openflowSocket() + ", controller " + controller);
        stop.await();
    }

    /** The southbound is mutual TLS unless the controller runs --southbound-insecure (and the agent says so too). */
    static SouthboundTlsFiles tls(Map<String, String> o) {
        boolean insecure = Boolean.parseBoolean(o.getOrDefault("southbound-insecure", "false"));
        boolean any = o.containsKey("cert") || o.containsKey("key") || o.containsKey("ca");
        if (insecure) {
            if (any) throw new IllegalArgumentException("--southbound-insecure and --cert/--key/--ca contradict each other");
            System.err.println("alcor agent: WARNING: plaintext, unauthenticated southbound (--southbound-insecure): for labs only");
            return null;
        }
        if (!o.containsKey("cert") || !o.containsKey("key") || !o.containsKey("ca")) {
            throw new IllegalArgumentException("the southbound is mutual TLS: give --cert, --key and --ca (made on the controller by "
                    + "bin/alcor host-cert " + o.getOrDefault("host-id", "HOST_ID") + " --out DIR), or --southbound-insecure for a lab controller");
        }
        return new SouthboundTlsFiles(Path.of(o.get("cert")), Path.of(o.get("key")), Path.of(o.get("ca")));
    }

    /** The MQ path's layout, as the controller's: the same --kafka clusters and counts; null without --kafka. */
    static org.alcor.southbound.mq.MqLayout mq(Map<String, String> o) {
        if (!o.containsKey("kafka")) {
            if (o.containsKey("kafka-topics") || o.containsKey("kafka-partitions")) {
                throw new IllegalArgumentException("--kafka-topics and --kafka-partitions are settings of the MQ path: give --kafka too");
            }
            return null;
        }
        return org.alcor.southbound.mq.MqLayout.parse(o.get("kafka"),
                Integer.parseInt(o.getOrDefault("kafka-topics", String.valueOf(org.alcor.southbound.mq.MqLayout.DEFAULT_TOPICS))),
                Integer.parseInt(o.getOrDefault("kafka-partitions", String.valueOf(org.alcor.southbound.mq.MqLayout.DEFAULT_PARTITIONS))));
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a);
            String k = a.substring(2);
            int eq = k.indexOf('=');
            if (eq >= 0) o.put(k.substring(0, eq), k.substring(eq + 1));
            else if (i + 1 < args.length && !args[i + 1].startsWith("--")) o.put(k, args[++i]);
            else o.put(k, "true");
        }
        return o;
    }

    private static void usage() {
        System.err.println("""
                usage: alcor agent --host-id H --controller HOST:PORT[,HOST:PORT...] --underlay-ip IP
                         [--ovs-db unix:/var/run/openvswitch/db.sock] [--bridge br-int]
                         [--openflow unix:<dir of ovs-db>/<bridge>.mgmt] [--datapath-type netdev]
                         [--bundle-chunk 50000] [--rescue-after-seconds 30] [--reconcile-seconds 60]
                         [--kafka HOST:PORT[,...][;NEXT CLUSTER] [--kafka-topics 4] [--kafka-partitions 8]]
                         (--cert DIR/host.crt --key DIR/host.key --ca DIR/ca.crt | --southbound-insecure)""");
    }
}
