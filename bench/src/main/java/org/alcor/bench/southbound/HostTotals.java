package org.alcor.bench.southbound;

/**
 * What one simulated host received over the run (its own goal states; and the VPC feed records it applied, which
 * the brokers send once per reader, not once per host), and the size of its final state in the minimal encoding.
 */
public record HostTotals(int index, SimulatedAgent.Reading reading, long messages, long bytes, long minimalBytes, long feedRecords, long feedBytes) {
}
