package org.alcor.bench.southbound;

/** What one simulated host received over the run, and the size of its final state in the minimal encoding. */
public record HostTotals(int index, SimulatedAgent.Reading reading, long messages, long bytes, long minimalBytes) {
}
