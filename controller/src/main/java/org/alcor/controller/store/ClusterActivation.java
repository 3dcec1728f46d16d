package org.alcor.controller.store;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCluster;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.cluster.ClusterState;

/**
 * When a persistent cluster goes active, so that a partitioned start cannot make two clusters that both hand out
 * addresses. A cluster that was never active waits for {@code --initial-replicas} nodes and then takes them as its
 * baseline; a cluster with a baseline goes active when every baseline node is back. Anything else (a baseline
 * node gone for good, a first start with fewer nodes) waits for an operator: {@code bin/alcor cluster activate}.
 * The baseline never adjusts itself: a restarting node keeps its partitions rather than having them rebalanced
 * away and back; {@code bin/alcor cluster baseline} takes the nodes that are here.
 */
final class ClusterActivation {
    private static final Logger LOG = Logger.getLogger(ClusterActivation.class.getName());
    private static final long POLL_MS = 200, LOG_EVERY_MS = 10_000;

    private ClusterActivation() {}

    static void await(Ignite ignite, StoreSettings settings) {
        IgniteCluster cluster = ignite.cluster();
        long nextLog = System.currentTimeMillis();
        while (cluster.state() != ClusterState.ACTIVE) {
            String waiting = tryActivate(cluster, settings.initialReplicas());
            if (waiting == null) continue;
            if (System.currentTimeMillis() >= nextLog) {
                LOG.warning("store: inactive, waiting for " + waiting);
                nextLog = System.currentTimeMillis() + LOG_EVERY_MS;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the store's cluster was inactive", e);
            }
        }
        if (!settings.persistent()) return;
        if (cluster.isBaselineAutoAdjustEnabled()) cluster.baselineAutoAdjustEnabled(false);
        Collection<BaselineNode> baseline = cluster.currentBaselineTopology();
        Object self = ignite.cluster().localNode().consistentId();
        if (baseline != null && baseline.stream().noneMatch(n -> n.consistentId().equals(self))) {
            LOG.warning("store: node " + self + " is not in the cluster's baseline and holds no data; "
                    + "bin/alcor cluster baseline takes the nodes that are here");
        }
    }

    /** Activates the cluster if it may be; otherwise says what it waits for. */
    private static String tryActivate(IgniteCluster cluster, int initialReplicas) {
        Collection<BaselineNode> baseline = cluster.currentBaselineTopology();
        Set<String> present = new TreeSet<>();
        for (ClusterNode n : cluster.forServers().nodes()) present.add(String.valueOf(n.consistentId()));
        if (baseline == null) {
            if (present.size() < initialReplicas) {
                return String.format("a first start: %d of %d nodes (--initial-replicas) are here: %s", present.size(), initialReplicas, present);
            }
            LOG.info(() -> "store: a new cluster of " + present + " goes active with them as its baseline");
        } else {
            Set<String> missing = new TreeSet<>();
            for (BaselineNode n : baseline) missing.add(String.valueOf(n.consistentId()));
            missing.removeAll(present);
            if (!missing.isEmpty()) {
                return "baseline nodes " + missing + " (here: " + present + "); bin/alcor cluster activate goes on without them";
            }
        }
        cluster.state(ClusterState.ACTIVE);
        return null;
    }
}
