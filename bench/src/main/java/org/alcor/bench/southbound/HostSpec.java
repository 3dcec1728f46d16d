package org.alcor.bench.southbound;

/** One simulated host of a run: its place in the run's host list, its id and underlay address, and how it reads. */
public record HostSpec(int index, String id, String underlayIp, SimulatedAgent.Reading reading) {
    public boolean normal() { return reading == SimulatedAgent.Reading.NORMAL; }
}
