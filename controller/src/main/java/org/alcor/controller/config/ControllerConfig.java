package org.alcor.controller.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.api.ApiSettings;
import org.alcor.controller.auth.KeystoneSettings;
import org.alcor.controller.southbound.MqSettings;
import org.alcor.controller.southbound.SouthboundSettings;
import org.alcor.controller.store.StoreSettings;

/**
 * Controller settings: command-line {@code --key value} (or {@code --key=value}), else environment
 * {@code ALCOR_KEY}, else the embedded defaults (one node, persistence in ./data, API on 127.0.0.1:9696).
 */
public record ControllerConfig(ApiSettings api, StoreSettings store, SouthboundSettings southbound, ValueRange vniRange,
                               String macPrefix, int writeLanes, int maxBatch, String auth, KeystoneSettings keystone) {

    public ControllerConfig {
        if (!auth.equals("noauth") && !auth.equals("keystone")) throw new IllegalArgumentException("--auth is noauth or keystone, not " + auth);
        if (auth.equals("keystone") && keystone == null) throw new IllegalArgumentException("--auth keystone needs the --keystone-* settings");
    }

    /** A noauth configuration (no Keystone settings). */
    public ControllerConfig(ApiSettings api, StoreSettings store, SouthboundSettings southbound, ValueRange vniRange,
                            String macPrefix, int writeLanes, int maxBatch, String auth) {
        this(api, store, southbound, vniRange, macPrefix, writeLanes, maxBatch, auth, null);
    }

    /** This configuration authenticating callers with Keystone. */
    public ControllerConfig withKeystone(KeystoneSettings settings) {
        return new ControllerConfig(api, store, southbound, vniRange, macPrefix, writeLanes, maxBatch, "keystone", settings);
    }

    static final List<String> KEYS = List.of("host", "port", "data-dir", "in-memory", "store-memory-mb", "node-name",
            "cluster", "local-address", "discovery-port", "comm-port", "backups", "vni-range", "mac-prefix",
            "write-lanes", "max-batch", "auth", "southbound-host", "southbound-port", "neighbor-push-limit", "southbound-window", "southbound-max-message-bytes",
            "southbound-ca", "southbound-insecure", "southbound-advertise", "southbound-ownership", "reconcile-seconds", "kafka", "kafka-topics", "kafka-partitions", "southbound-path", "grpc-max-hosts",
            "path-move-timeout-ms", "mq-heartbeats-per-second", "ops-host", "ops-port", "wal-mode", "ignite-client-port", "initial-replicas",
            "keystone-url", "keystone-user", "keystone-password", "keystone-project", "keystone-domain", "keystone-token-cache-seconds");

    /** Options that take no value. */
    private static final List<String> FLAGS = List.of("in-memory", "southbound-insecure");

    public static ControllerConfig parse(String[] args, Map<String, String> env) {
        Map<String, String> opts = new HashMap<>();
        for (String key : KEYS) {
            String v = env.get("ALCOR_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (v != null) opts.put(key, v);
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a);
            String key = a.substring(2), value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (FLAGS.contains(key)) {
                value = "true";
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--" + key + " needs a value");
                value = args[++i];
            }
            if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown option --" + key + "; options: " + KEYS);
            opts.put(key, value);
        }
        return from(opts);
    }

    private static ControllerConfig from(Map<String, String> o) {
        String local = o.getOrDefault("local-address", "127.0.0.1");
        List<String> cluster = Arrays.stream(o.getOrDefault("cluster", local + ":47500..47509").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        var store = new StoreSettings(Path.of(o.getOrDefault("data-dir", "data")), !Boolean.parseBoolean(o.getOrDefault("in-memory", "false")),
                Long.parseLong(o.getOrDefault("store-memory-mb", "1024")), o.getOrDefault("node-name", "alcor-0"), cluster, local,
                Integer.parseInt(o.getOrDefault("discovery-port", "47500")), Integer.parseInt(o.getOrDefault("comm-port", "47100")),
                Integer.parseInt(o.getOrDefault("backups", "0")), 10_000)
                .withWalMode(o.getOrDefault("wal-mode", "LOG_ONLY").toUpperCase(Locale.ROOT))
                .withClientPort(Integer.parseInt(o.getOrDefault("ignite-client-port", "-1")))
                .withInitialReplicas(Integer.parseInt(o.getOrDefault("initial-replicas", "1")));
        var api = new ApiSettings(o.getOrDefault("host", "127.0.0.1"), Integer.parseInt(o.getOrDefault("port", "9696")), 16 << 20,
                o.getOrDefault("ops-host", "127.0.0.1"), Integer.parseInt(o.getOrDefault("ops-port", "9698")));
        String[] vni = o.getOrDefault("vni-range", "1:16777215").split(":");
        if (vni.length != 2) throw new IllegalArgumentException("--vni-range is MIN:MAX");
        String auth = o.getOrDefault("auth", "noauth");
        KeystoneSettings keystone = null;
        if (auth.equals("keystone")) {
            keystone = KeystoneSettings.of(o.get("keystone-url"), o.get("keystone-user"), o.get("keystone-password"), o.get("keystone-project"))
                    .withDomain(o.getOrDefault("keystone-domain", "Default"))
                    .withTokenCacheTime(java.time.Duration.ofSeconds(Long.parseLong(o.getOrDefault("keystone-token-cache-seconds", "300"))));
        }
        var southbound = SouthboundSettings.defaults(o.getOrDefault("southbound-host", "127.0.0.1"),
                Integer.parseInt(o.getOrDefault("southbound-port", "9697")));
        southbound = southbound
                .withNeighborPushLimit(Integer.parseInt(o.getOrDefault("neighbor-push-limit", String.valueOf(southbound.neighborPushLimit()))))
                .withWindow(Integer.parseInt(o.getOrDefault("southbound-window", String.valueOf(southbound.window()))))
                .withMaxMessageBytes(Integer.parseInt(o.getOrDefault("southbound-max-message-bytes", String.valueOf(southbound.maxMessageBytes()))));
        // Mutual TLS unless told otherwise, with the CA kept next to the data (in-memory too: hosts' certificates
        // must outlive a restart).
        if (o.containsKey("southbound-advertise")) southbound = southbound.withAdvertise(o.get("southbound-advertise"));
        String ownership = o.getOrDefault("southbound-ownership", "partitioned");
        if (!ownership.equals("partitioned") && !ownership.equals("any")) {
            throw new IllegalArgumentException("--southbound-ownership is partitioned or any, not " + ownership);
        }
        southbound = southbound.withPartitioned(ownership.equals("partitioned"))
                .withReconcileSeconds(Integer.parseInt(o.getOrDefault("reconcile-seconds", String.valueOf(southbound.reconcileSeconds()))));
        // The store's nodes authenticate each other with replica certificates of the same CA.
        if (!Boolean.parseBoolean(o.getOrDefault("southbound-insecure", "false"))) {
            Path ca = Path.of(o.getOrDefault("southbound-ca", store.dataDir().resolve("pki").toString()));
            southbound = southbound.withCa(ca);
            store = store.withClusterCa(ca);
        } else if (o.containsKey("southbound-ca")) {
            throw new IllegalArgumentException("--southbound-ca and --southbound-insecure contradict each other");
        }
        if (o.containsKey("kafka")) {
            var layout = org.alcor.southbound.mq.MqLayout.parse(o.get("kafka"),
                    Integer.parseInt(o.getOrDefault("kafka-topics", String.valueOf(org.alcor.southbound.mq.MqLayout.DEFAULT_TOPICS))),
                    Integer.parseInt(o.getOrDefault("kafka-partitions", String.valueOf(org.alcor.southbound.mq.MqLayout.DEFAULT_PARTITIONS))));
            var mq = MqSettings.of(layout, MqSettings.mode(o.getOrDefault("southbound-path", "auto")));
            mq = new MqSettings(layout, mq.mode(), Integer.parseInt(o.getOrDefault("grpc-max-hosts", String.valueOf(mq.grpcMaxHosts()))),
                    Long.parseLong(o.getOrDefault("path-move-timeout-ms", String.valueOf(mq.moveTimeoutMs()))), mq.retryAfterMs(),
                    Integer.parseInt(o.getOrDefault("mq-heartbeats-per-second", String.valueOf(mq.heartbeatsPerSecond()))));
            southbound = southbound.withMq(mq);
        } else {
            for (String k : List.of("kafka-topics", "kafka-partitions", "grpc-max-hosts", "path-move-timeout-ms", "mq-heartbeats-per-second")) {
                if (o.containsKey(k)) throw new IllegalArgumentException("--" + k + " is a setting of the MQ path: give --kafka too");
            }
            if (!o.getOrDefault("southbound-path", "grpc").equals("grpc")) {
                throw new IllegalArgumentException("--southbound-path " + o.get("southbound-path") + " needs --kafka HOST:PORT[,HOST:PORT][;NEXT CLUSTER]");
            }
        }
        return new ControllerConfig(api, store, southbound, new ValueRange(Long.parseLong(vni[0]), Long.parseLong(vni[1])),
                o.getOrDefault("mac-prefix", "fa:16:3e"), Integer.parseInt(o.getOrDefault("write-lanes", "4")),
                Integer.parseInt(o.getOrDefault("max-batch", "1024")), auth, keystone);
    }
}
