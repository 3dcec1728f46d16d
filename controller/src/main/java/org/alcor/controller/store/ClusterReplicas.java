package org.alcor.controller.store;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * Replicas of one Ignite cluster: the server nodes that are members now, with the southbound address each put in a
 * replicated cache. A node that died leaves its entry behind, but it is no longer a member, so it is not live.
 */
final class ClusterReplicas implements Replicas {
    private final Ignite ignite;
    private final IgniteCache<String, String> addresses;

    ClusterReplicas(Ignite ignite) {
        this.ignite = ignite;
        this.addresses = ignite.getOrCreateCache(new CacheConfiguration<String, String>("alcor_replicas")
                .setCacheMode(CacheMode.REPLICATED).setAtomicityMode(CacheAtomicityMode.ATOMIC));
    }

    @Override public String self() { return String.valueOf(ignite.cluster().localNode().consistentId()); }

    @Override public void announce(String southboundAddress) { addresses.put(self(), southboundAddress); }

    @Override
    public Map<String, String> live() {
        Set<String> members = new TreeSet<>();
        for (ClusterNode n : ignite.cluster().forServers().nodes()) members.add(String.valueOf(n.consistentId()));
        return new TreeMap<>(addresses.getAll(members));
    }
}
