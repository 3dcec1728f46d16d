package org.alcor.agent.pipeline;

/**
 * Host facts the flows depend on. {@code onDemandNeighbors}: a packet routed or sent to an address of the VPC
 * that has no neighbor entry is punted to the agent, which resolves it with the controller; otherwise dropped.
 */
public record PipelineConfig(int tunnelOfport, String underlayIp, boolean onDemandNeighbors) {}
