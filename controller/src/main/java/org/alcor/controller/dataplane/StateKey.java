package org.alcor.controller.dataplane;

import org.alcor.proto.ResourceType;

/** Names one resource state in a host's goal state: its kind and the key it has in the GoalState maps. */
public record StateKey(ResourceType type, String id) {}
