package org.alcor.bench.southbound;

import java.util.List;

/**
 * The line protocol between the bench and a child process running a share of the agents ({@code --processes N}):
 * the parent writes commands to the child's stdin, the child writes events and replies to its stdout, one per line,
 * fields separated by one space (ids and addresses hold none; a failure's message runs to the end of the line).
 * The child's stderr is the bench's; its stdout carries nothing but this protocol.
 *
 * <pre>
 * parent → child
 *   host INDEX HOST-ID UNDERLAY-IP NORMAL|SLOW|STUCK   one per agent of the share, before connect
 *   connect                                            open every agent's stream
 *   clock                                              answered by "clock NANOS" (see below)
 *   watch-ports                                        from now on report each port newly held by a normal host
 *   watch-neighbor VPC-ID IPV4 BOUND-HOST-ID           count normal hosts (but BOUND-HOST-ID) sent that neighbour's
 *                                                      create, then its delete
 *   totals                                             answered by one "host ..." line per agent
 *   (end of input)                                     the bench is done, or dead: close the streams and exit
 * child → parent
 *   ok COMMAND                    COMMAND (connect, clock, watch-ports, watch-neighbor, totals) has taken effect;
 *                                 the replies to clock and totals come before it
 *   clock NANOS                   the child's System.nanoTime() when it read "clock"
 *   host INDEX READING MESSAGES BYTES MINIMAL-BYTES
 *   connected AGENTS              every normal agent has its first goal state
 *   held PORTS LAST-NANOS         local ports held by normal hosts; when the latest arrived (at most every 20 ms)
 *   port PORT-ID NANOS            a port newly held by its normal host (after watch-ports only)
 *   policy PROACTIVE ON-DEMAND    normal hosts by the neighbour policy of their VPC
 *   fanout create|delete HOSTS LAST-NANOS
 *   failed MESSAGE                the share cannot go on; the bench stops with MESSAGE
 * </pre>
 *
 * <p><b>Times.</b> NANOS are the child's {@link System#nanoTime()} readings taken when the goal state arrived, and the
 * parent subtracts its own readings from them. nanoTime's contract promises that only within one JVM, but on Linux
 * HotSpot reads {@code clock_gettime(CLOCK_MONOTONIC)}, a single clock for every process of the machine, so the
 * readings of two JVMs on one host compare. The bench checks it at start ("clock": the child's reading must fall
 * between the parent's before sending and after the reply) and refuses to run otherwise. Timestamping in the child keeps the pipe, the parent's reader thread and its scheduling
 * out of the figures, which timestamping lines on arrival in the parent would add (tens of µs when idle, more on a
 * loaded 2-core box). Children must run on the bench's machine (they do: the bench starts them).
 *
 * <p><b>Life.</b> A child exits when its stdin ends, so it dies with the bench even when the bench is killed (the
 * kernel closes the pipe); a child that dies makes the bench stop ("agent process N exited").
 */
public final class AgentLines {
    private AgentLines() {
    }

    static String host(HostSpec h) { return "host " + h.index() + " " + h.id() + " " + h.underlayIp() + " " + h.reading(); }

    static HostSpec parseHost(String[] f) {
        return new HostSpec(Integer.parseInt(f[1]), f[2], f[3], SimulatedAgent.Reading.valueOf(f[4]));
    }

    static String totals(HostTotals t) {
        return "host " + t.index() + " " + t.reading() + " " + t.messages() + " " + t.bytes() + " " + t.minimalBytes() + " " + t.feedRecords()
                + " " + t.feedBytes();
    }

    static HostTotals parseTotals(String[] f) {
        return new HostTotals(Integer.parseInt(f[1]), SimulatedAgent.Reading.valueOf(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
    }

    /** The events of a share as lines (in the child). */
    static ShareEvents writer(java.util.function.Consumer<String> out) {
        return new ShareEvents() {
            @Override public void connected(int agents) { out.accept("connected " + agents); }

            @Override public void failed(String message) { out.accept("failed " + message.replace('\n', ' ')); }

            @Override public void held(long ports, long lastNanos) { out.accept("held " + ports + " " + lastNanos); }

            @Override public void portArrived(String portId, long nanos) { out.accept("port " + portId + " " + nanos); }

            @Override public void policy(int proactive, int onDemand) { out.accept("policy " + proactive + " " + onDemand); }

            @Override public void fanOut(FanOut kind, int hosts, long lastNanos) {
                out.accept("fanout " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + hosts + " " + lastNanos);
            }
        };
    }

    /** Hands an event line to the events (in the parent); false when the line is not an event. */
    static boolean dispatch(String line, ShareEvents events) {
        String[] f = line.split(" ", 2);
        String rest = f.length > 1 ? f[1] : "";
        List<String> a = List.of(rest.split(" "));
        switch (f[0]) {
            case "connected" -> events.connected(Integer.parseInt(a.get(0)));
            case "failed" -> events.failed(rest);
            case "held" -> events.held(Long.parseLong(a.get(0)), Long.parseLong(a.get(1)));
            case "port" -> events.portArrived(a.get(0), Long.parseLong(a.get(1)));
            case "policy" -> events.policy(Integer.parseInt(a.get(0)), Integer.parseInt(a.get(1)));
            case "fanout" -> events.fanOut(ShareEvents.FanOut.valueOf(a.get(0).toUpperCase(java.util.Locale.ROOT)),
                    Integer.parseInt(a.get(1)), Long.parseLong(a.get(2)));
            default -> {
                return false;
            }
        }
        return true;
    }
}
