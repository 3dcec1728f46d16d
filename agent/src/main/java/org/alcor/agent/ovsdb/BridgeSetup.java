package org.alcor.agent.ovsdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the integration bridge and the one VXLAN port the agent needs, idempotently, with one ovs-vsctl
 * transaction at start-up (DESIGN.md §4: ovs-vsctl only for bridges and ports). The tunnel uses
 * {@code remote_ip=flow key=flow}: the VNI and the remote host come from each flow, so one port serves every
 * remote host. {@code fail_mode=secure}: without the agent the bridge keeps its flows and never falls back to
 * NORMAL switching.
 */
public final class BridgeSetup {
    public static final String TUNNEL_PORT = "alcor-vxlan";
    public static final int TUNNEL_OFPORT = 4000;

    private final String ovsDb;
    private final String bridge;
    private final String datapathType;

    public BridgeSetup(String ovsDb, String bridge, String datapathType) {
        this.ovsDb = ovsDb;
        this.bridge = bridge;
        this.datapathType = datapathType;
    }

    public void ensure(String underlayIp) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=" + ovsDb, "--timeout=10",
                "--", "--may-exist", "add-br", bridge,
                "--", "set", "bridge", bridge, "fail_mode=secure", "protocols=OpenFlow10,OpenFlow13"));
        if (datapathType != null && !datapathType.isEmpty()) cmd.add("datapath_type=" + datapathType);
        cmd.addAll(List.of("--", "--may-exist", "add-port", bridge, TUNNEL_PORT,
                "--", "set", "interface", TUNNEL_PORT, "type=vxlan", "ofport_request=" + TUNNEL_OFPORT,
                "options:remote_ip=flow", "options:key=flow", "options:local_ip=" + underlayIp));
        run(cmd);
    }

    static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
