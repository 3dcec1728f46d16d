package org.alcor.controller.port;

/** What a host said about one of its ports: programmed (ok), or the error it met. */
public record PortReport(String portId, String hostId, boolean ok, String error) {}
