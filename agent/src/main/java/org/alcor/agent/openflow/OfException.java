package org.alcor.agent.openflow;

/** The switch refused a request, or the connection to it is gone. Both are retried by the caller. */
public class OfException extends RuntimeException {
    public OfException(String message) { super(message); }

    public OfException(String message, Throwable cause) { super(message, cause); }
}
