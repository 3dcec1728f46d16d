package org.alcor.agent.lab;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Simulated compute hosts on one machine, as lab/ovs-two-hosts.sh builds them: each host is a network namespace
 * with its own ovsdb-server and ovs-vswitchd (userspace datapath) and state directory, joined by a veth
 * underlay on br-phy; each VM is a namespace with a veth into br-int carrying external_ids:iface-id.
 * Cleans up what it created — daemons by the PIDs in their pidfiles, namespaces by name — on close and from a
 * shutdown hook, so a failing or killed test leaves nothing behind.
 */
public final class OvsLab implements AutoCloseable {
    private static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

    private final String prefix;
    private final Path dir;
    private final List<Host> hosts = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread hook = new Thread(this::cleanup, "ovslab-cleanup");
    private boolean cleaned;

    public OvsLab() throws IOException {
        prefix = "alc" + ThreadLocalRandom.current().nextInt(100, 1000);
        dir = Files.createTempDirectory("ovslab-" + prefix);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Skips outside CI when OVS or root are missing; under CI=true that is a failure. */
    public static void requireOvsAndRoot() {
        boolean ok = Sh.run("id", "-u").out().trim().equals("0")
                && Sh.run("sh", "-c", "command -v ovs-vswitchd && command -v ovsdb-server && command -v udhcpc && command -v ethtool && command -v python3").ok()
                && Files.exists(Path.of(SCHEMA));
        if (!ok && "true".equals(System.getenv("CI"))) throw new AssertionError("CI=true but root, OVS, udhcpc, ethtool or python3 is missing (bin/install-test-deps)");
        Assumptions.assumeTrue(ok, "needs root, openvswitch-switch, udhcpc, ethtool and python3");
    }

    public final class Host {
        public final int n;
        public final String ns;
        public final Path dir;
        public final String underlayIp;

        Host(int n) {
            this.n = n;
            this.ns = prefix + "-h" + n;
            this.dir = OvsLab.this.dir.resolve("h" + n);
            this.underlayIp = "172.31.250." + n;
        }

        public String ovsDb() { return "unix:" + dir.resolve("db.sock"); }

        public Path mgmt() { return dir.resolve("br-int.mgmt"); }

        public String vsctl(String... args) {
            List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--timeout=10", "--db=" + ovsDb()));
            cmd.addAll(List.of(args));
            Sh.Result r = Sh.run(cmd);
            if (!r.ok()) throw new IllegalStateException(cmd + ": " + r.out());
            return r.out();
        }

        public String ofctl(String... args) {
            List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", args[0], "unix:" + mgmt()));
            for (int i = 1; i < args.length; i++) cmd.add(args[i]);
            return Sh.run(cmd, 60).out();
        }

        public String appctl(String... args) {
            List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "--timeout=10", "-t", dir.resolve("ovs-vswitchd.ctl").toString()));
            cmd.addAll(List.of(args));
            return Sh.run(cmd).out();
        }

        public void startVswitchd() {
            Sh.must("env", "OVS_RUNDIR=" + dir, "OVS_LOGDIR=" + dir, "OVS_DBDIR=" + dir, "ip", "netns", "exec", ns, "ovs-vswitchd", ovsDb(),
                    "--pidfile=" + dir.resolve("ovs-vswitchd.pid"), "--log-file=" + dir.resolve("ovs-vswitchd.log"),
                    "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"), "--detach");
        }

        public void stopVswitchd() { stopPidfile(dir.resolve("ovs-vswitchd.pid")); }

        /** After a vswitchd restart: br-phy's kernel device is new, give it back the VTEP address and routes. */
        public void restoreUnderlay() {
            Host o = hosts.get(0) == this ? hosts.get(1) : hosts.get(0);
            Wait.until(java.time.Duration.ofSeconds(10), "br-phy back on host " + n,
                    () -> Sh.run("ip", "-n", ns, "link", "show", "br-phy").ok());
            Sh.run("ip", "-n", ns, "addr", "add", underlayIp + "/24", "dev", "br-phy");
            Sh.must("ip", "-n", ns, "link", "set", "br-phy", "up");
            appctl("ovs/route/add", o.underlayIp + "/32", "br-phy");
            appctl("tnl/arp/set", "br-phy", o.underlayIp, "02:00:ac:1f:fa:0" + o.n);
        }
    }

    public final class Vm {
        public final String name;
        public final String ns;
        public final String mac;
        public final String tap;
        public final Host host;

        Vm(Host host, String name, String mac) {
            this.host = host;
            this.name = name;
            this.ns = prefix + "-" + name;
            this.mac = mac;
            this.tap = "t" + prefix.substring(3) + name;
        }

        /** Runs udhcpc once; returns the variables it handed to the script (ip, mask, router, mtu, ...). */
        public java.util.Map<String, String> dhcp() throws IOException {
            Path out = dir.resolve(name + ".dhcp");
            Files.deleteIfExists(out);
            Sh.Result r = Sh.run(List.of("env", "DHCP_OUT=" + out, "ip", "netns", "exec", ns, "udhcpc", "-i", "eth0", "-n", "-q", "-f", "-t", "5", "-T", "1",
                    "-s", dhcpScript().toString()), 30);
            java.util.Map<String, String> env = new java.util.HashMap<>();
            if (Files.exists(out)) {
                for (String line : Files.readAllLines(out)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            if (!r.ok()) env.put("udhcpc_failed", r.out());
            return env;
        }

        public boolean ping(String ip, int count) {
            return Sh.run(List.of("ip", "netns", "exec", ns, "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "1", ip), 30).ok();
        }

        public String exec(String... args) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            cmd.addAll(List.of(args));
            return Sh.run(cmd).out();
        }

        public void unplug() { host.vsctl("--if-exists", "del-port", "br-int", tap); }
    }

    private Path dhcpScript() throws IOException {
        Path s = dir.resolve("udhcpc.sh");
        if (!Files.exists(s)) {
            Files.writeString(s, """
                    #!/bin/sh
                    # records what the DHCP server handed out, then configures eth0 as a VM image would
                    case "$1" in
                      deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
                      bound|renew)
                        env | grep -E '^(ip|mask|subnet|router|dns|mtu|lease|staticroutes|serverid)=' > "$DHCP_OUT"
                        ip addr flush dev "$interface"
                        ip addr add "$ip/$mask" dev "$interface"
                        [ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
                        [ -n "$router" ] && ip route replace default via "$router" dev "$interface"
                        ;;
                    esac
                    exit 0
                    """);
            s.toFile().setExecutable(true);
        }
        return s;
    }

    public Host addHost() {
        Host h = new Host(hosts.size() + 1);
        try { Files.createDirectories(h.dir); } catch (IOException e) { throw new IllegalStateException(e); }
        Sh.must("ip", "netns", "add", h.ns);
        namespaces.add(h.ns);
        Sh.must("ip", "-n", h.ns, "link", "set", "lo", "up");
        Sh.must("ovsdb-tool", "create", h.dir.resolve("conf.db").toString(), SCHEMA);
        Sh.must("ip", "netns", "exec", h.ns, "ovsdb-server", h.dir.resolve("conf.db").toString(),
                "--remote=punix:" + h.dir.resolve("db.sock"), "--pidfile=" + h.dir.resolve("ovsdb-server.pid"),
                "--log-file=" + h.dir.resolve("ovsdb-server.log"), "--unixctl=" + h.dir.resolve("ovsdb-server.ctl"), "--detach");
        h.vsctl("--no-wait", "init");
        h.startVswitchd();
        h.vsctl("--", "add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev", "fail_mode=secure",
                "protocols=OpenFlow10,OpenFlow13");
        hosts.add(h);
        return h;
    }

    /** The underlay: one veth between the first two hosts, each end on br-phy carrying the host's VTEP IP. */
    public void connectUnderlay() {
        Host a = hosts.get(0), b = hosts.get(1);
        Sh.must("ip", "link", "add", "ul", "netns", a.ns, "type", "veth", "peer", "name", "ul", "netns", b.ns);
        for (Host h : List.of(a, b)) {
            Host o = h == a ? b : a;
            Sh.must("ip", "-n", h.ns, "link", "set", "ul", "up");
            h.vsctl("--", "add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev",
                    "other_config:hwaddr=02:00:ac:1f:fa:0" + h.n, "--", "add-port", "br-phy", "ul");
            Sh.must("ip", "-n", h.ns, "addr", "add", h.underlayIp + "/24", "dev", "br-phy");
            Sh.must("ip", "-n", h.ns, "link", "set", "br-phy", "up");
            h.appctl("ovs/route/add", o.underlayIp + "/32", "br-phy");
            h.appctl("tnl/arp/set", "br-phy", o.underlayIp, "02:00:ac:1f:fa:0" + o.n);
        }
    }

    public Vm addVm(Host h, String name, String mac, String portId) {
        Vm vm = new Vm(h, name, mac);
        Sh.must("ip", "netns", "add", vm.ns);
        namespaces.add(vm.ns);
        Sh.must("ip", "-n", vm.ns, "link", "set", "lo", "up");
        Sh.run("ip", "netns", "exec", vm.ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        Sh.must("ip", "link", "add", "eth0", "netns", vm.ns, "type", "veth", "peer", "name", vm.tap, "netns", h.ns);
        Sh.must("ip", "-n", vm.ns, "link", "set", "eth0", "address", mac, "up");
        // userspace datapath: let the VM kernel compute L4 checksums (lab/ovs.md)
        Sh.run("ip", "netns", "exec", vm.ns, "ethtool", "-K", "eth0", "tx", "off");
        Sh.must("ip", "-n", h.ns, "link", "set", vm.tap, "up");
        plug(vm, portId);
        return vm;
    }

    public void plug(Vm vm, String portId) {
        vm.host.vsctl("--may-exist", "add-port", "br-int", vm.tap, "--", "set", "interface", vm.tap,
                "external_ids:iface-id=" + portId);
    }

    private static void stopPidfile(Path pidfile) {
        try {
            if (!Files.exists(pidfile)) return;
            long pid = Long.parseLong(Files.readString(pidfile).trim());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try { p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS); } catch (Exception e) { p.destroyForcibly(); }
            });
            Files.deleteIfExists(pidfile);
        } catch (IOException | NumberFormatException ignored) {
            // nothing we started is recorded there
        }
    }

    private synchronized void cleanup() {
        if (cleaned) return;
        cleaned = true;
        for (Host h : hosts) {
            stopPidfile(h.dir.resolve("ovs-vswitchd.pid"));
            stopPidfile(h.dir.resolve("ovsdb-server.pid"));
        }
        for (String ns : namespaces) Sh.run("ip", "netns", "del", ns);
        Sh.run("rm", "-rf", dir.toString());
    }

    @Override public void close() {
        cleanup();
        try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException ignored) { /* shutting down */ }
    }
}
