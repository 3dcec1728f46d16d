package org.alcor.bench.southbound;

/**
 * What a share of the agents tells the bench, wherever it runs. Times are {@link System#nanoTime()} readings taken
 * when the goal state was received (see {@link AgentLines} for why a child's readings compare with the parent's).
 * Calls come from several threads.
 */
public interface ShareEvents {
    /** Every normal agent of the share has its first goal state. */
    void connected(int agents);

    /** The share cannot go on (a stream failed, the child process died): the run stops with this message. */
    void failed(String message);

    /** Local ports held by the share's normal hosts, and when the latest of them arrived. */
    void held(long ports, long lastNanos);

    /** A port newly held by its (normal) host, reported only once the bench asked to watch ports. */
    void portArrived(String portId, long nanos);

    /** Normal hosts of the share, by the neighbour policy of the last VPC state they were sent. */
    void policy(int proactive, int onDemand);

    /** Normal hosts (but the port's own) that received the watched neighbour's create or delete, and when the last did. */
    void fanOut(FanOut kind, int hosts, long lastNanos);

    enum FanOut { CREATE, DELETE }
}
