package org.alcor.controller.store;

import java.util.Map;

/**
 * The controller replicas that share a store, as each announces its goal-state address: what the southbound
 * partitions hosts over. A store of one process holds this replica only.
 */
public interface Replicas {
    /** This replica's id (its store node name). */
    String self();

    /** Makes this replica's southbound address known to the others. */
    void announce(String southboundAddress);

    /** Live replicas that announced an address: id to host:port. */
    Map<String, String> live();

    /** A replica alone: itself, once announced. */
    final class Alone implements Replicas {
        private final String self;
        private volatile String address;

        public Alone(String self) { this.self = self; }

        @Override public String self() { return self; }

        @Override public void announce(String southboundAddress) { address = southboundAddress; }

        @Override public Map<String, String> live() { return address == null ? Map.of() : Map.of(self, address); }
    }
}
