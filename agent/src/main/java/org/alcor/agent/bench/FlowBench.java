package org.alcor.agent.bench;

import org.alcor.agent.flow.FlowDelta;
import org.alcor.agent.flow.FlowProgrammer;
import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.agent.openflow.Actions;
import org.alcor.agent.openflow.Flow;
import org.alcor.agent.openflow.Instructions;
import org.alcor.agent.openflow.Match;
import org.alcor.agent.openflow.OfConnection;
import org.alcor.agent.openflow.OfMessages;
import org.alcor.agent.openflow.Oxm;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Programs N neighbor flows (table 50: reg6=VNI, dl_dst=MAC → tun_id, tun_dst, output to the tunnel) into one
 * bridge twice: once with {@code ovs-ofctl --bundle add-flows} from a file (the practical limit), once through
 * the agent's own OpenFlow path (FlowProgrammer: bundles of --chunk flow_mods, then a barrier), and prints both.
 * <pre>FlowBench --openflow /path/br-int.mgmt [--flows 100000] [--chunk 50000]</pre>
 * The bridge must exist and belong to nobody else: the benchmark deletes all its flows.
 */
public final class FlowBench {
    private FlowBench() {}

    public static void main(String[] args) throws Exception {
        Path mgmt = null;
        int n = 100_000, chunk = 50_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--openflow" -> mgmt = Path.of(args[++i].replaceFirst("^unix:", ""));
                case "--flows" -> n = Integer.parseInt(args[++i]);
                case "--chunk" -> chunk = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (mgmt == null) throw new IllegalArgumentException("--openflow <bridge mgmt socket> is required");
        List<Flow> flows = flows(n);
        Path file = Files.createTempFile("flowbench", ".flows");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(file)) {
                for (int i = 0; i < n; i++) w.write(text(i) + "\n");
            }
            try (OfConnection of = OfConnection.open(mgmt, p -> { }, e -> { })) {
                clear(of);
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("ovs-ofctl", "-O", "OpenFlow13", "--bundle", "add-flows", "unix:" + mgmt, file.toString())
                        .inheritIO().start();
                if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("ovs-ofctl failed");
                long ofctl = System.nanoTime() - t0;
                long installedOfctl = count(of);
                clear(of);
                t0 = System.nanoTime();
                new FlowProgrammer(chunk, 600_000).apply(of, new FlowDelta(List.of(), flows));
                long agent = System.nanoTime() - t0;
                long installedAgent = count(of);
                System.out.printf("flows=%d chunk=%d%n", n, chunk);
                System.out.printf("ovs-ofctl --bundle add-flows: %.3f s (%d installed)%n", ofctl / 1e9, installedOfctl);
                System.out.printf("agent OpenFlow bundles:       %.3f s (%d installed)%n", agent / 1e9, installedAgent);
                System.out.printf("ratio agent/ovs-ofctl:        %.2f%n", (double) agent / ofctl);
                clear(of);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long mac(int i) { return 0xfa163e000000L | (i & 0xffffff); }

    private static int vni(int i) { return 1000 + i % 1000; }

    private static int tunDst(int i) { return Ipv4.parse("172.16.0.0") | (i % 4096) + 1; }

    private static long cookie(int i) { return 0x5000000000000000L | i; }

    static List<Flow> flows(int n) {
        List<Flow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Match m = Match.builder().reg(6, vni(i)).ethDst(mac(i)).build();
            Instructions ins = Instructions.apply(Actions.of().setField(Oxm.TUNNEL_ID, vni(i))
                    .setField(Oxm.TUN_IPV4_DST, tunDst(i) & 0xffffffffL).output(4000));
            out.add(new Flow(50, 100, cookie(i), m, ins));
        }
        return out;
    }

    /** The same flow in ovs-ofctl syntax. */
    static String text(int i) {
        return "table=50,priority=100,cookie=0x" + Long.toHexString(cookie(i)) + ",reg6=" + vni(i) + ",dl_dst=" + Mac.format(mac(i))
                + ",actions=set_field:" + vni(i) + "->tun_id,set_field:" + Ipv4.format(tunDst(i)) + "->tun_dst,output:4000";
    }

    private static void clear(OfConnection of) throws Exception {
        of.send(OfMessages.flowDeleteAll(of.nextXid()));
        of.barrier().get(10, TimeUnit.MINUTES);
    }

    private static long count(OfConnection of) throws Exception {
        return of.dumpFlows().get(10, TimeUnit.MINUTES).size();
    }

}
