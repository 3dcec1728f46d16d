package org.alcor.controller;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.store.IgniteStore;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCluster;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.cluster.ClusterState;

/**
 * {@code bin/alcor cluster status|activate|baseline [controller options]}: the operator's hand on the store's
 * cluster, which never activates itself on a partial start nor adjusts its baseline (see the store's
 * ClusterActivation). It joins as a client node with the options the replicas run with ({@code --cluster},
 * {@code --local-address}, {@code --southbound-ca} or {@code --data-dir}: it needs the CA's key, as {@code host-cert}
 * does, which is what makes one admin here).
 * <ul>
 *   <li>{@code status}: the cluster's state, its server nodes and its baseline;
 *   <li>{@code activate}: goes active with the baseline it has (nodes missing from it are left out until they
 *       return), or with the nodes that are here on a first start;
 *   <li>{@code baseline}: makes the server nodes that are here the baseline (a node gone for good leaves, a new one
 *       takes its share of the data).
 * </ul>
 */
public final class ClusterCommand {
    private static final List<String> ACTIONS = List.of("status", "activate", "baseline");

    private ClusterCommand() {}

    public static void main(String[] args) {
        ProcessLogging.install();
        ControllerConfig config;
        String action = args.length > 0 ? args[0] : "";
        try {
            if (!ACTIONS.contains(action)) throw new IllegalArgumentException("an action is one of " + ACTIONS);
            config = ControllerConfig.parse(Arrays.copyOfRange(args, 1, args.length), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("alcor cluster: " + e.getMessage());
            System.err.println("usage: alcor cluster status|activate|baseline [--cluster ADDRS] [--local-address A] [--southbound-ca DIR | --data-dir DIR | --southbound-insecure]");
            System.exit(2);
            return;
        }
        try (Ignite client = IgniteStore.startClient(config.store())) {
            System.out.println(run(action, client.cluster()));
        }
    }

    /** Does the action and describes the cluster after it. */
    public static String run(String action, IgniteCluster cluster) {
        switch (action) {
            case "activate" -> cluster.state(ClusterState.ACTIVE);
            case "baseline" -> {
                if (cluster.state() != ClusterState.ACTIVE) throw new IllegalStateException("the cluster is inactive: activate it first");
                cluster.setBaselineTopology(cluster.topologyVersion());
            }
            case "status" -> { }
            default -> throw new IllegalArgumentException("an action is one of " + ACTIONS);
        }
        return describe(cluster);
    }

    static String describe(IgniteCluster cluster) {
        Set<String> servers = new TreeSet<>();
        for (ClusterNode n : cluster.forServers().nodes()) servers.add(String.valueOf(n.consistentId()));
        Collection<BaselineNode> baseline = cluster.currentBaselineTopology();
        Set<String> inBaseline = new TreeSet<>();
        if (baseline != null) baseline.forEach(n -> inBaseline.add(String.valueOf(n.consistentId())));
        Set<String> missing = new TreeSet<>(inBaseline);
        missing.removeAll(servers);
        return "state " + cluster.state() + "; server nodes " + servers + "; baseline "
                + (baseline == null ? "none (never active)" : inBaseline + (missing.isEmpty() ? "" : ", missing " + missing));
    }
}
