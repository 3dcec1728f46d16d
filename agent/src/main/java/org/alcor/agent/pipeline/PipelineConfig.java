package org.alcor.agent.pipeline;

/**
 * Host facts the flows depend on. How unknown addresses are handled is per VPC (its neighbour policy, in the
 * goal state), not a host setting.
 */
public record PipelineConfig(int tunnelOfport, String underlayIp) {}
