package org.alcor.controller.core;

import java.util.List;

/** One page of a list: the items, and whether pages follow or precede it. */
public record ListPage(List<Resource> items, boolean hasNext, boolean hasPrevious) {}
