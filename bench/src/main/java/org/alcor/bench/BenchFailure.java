package org.alcor.bench;

/**
 * A bench run that cannot go on, with a message for the person running it (what failed, against what, and the
 * server's answer): printed as is, without a stack trace, and the bench exits non-zero.
 */
public final class BenchFailure extends RuntimeException {
    public BenchFailure(String message) {
        super(message);
    }

    /** An I/O error in words: the JDK's ConnectException, for one, has no message at all. */
    public static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (e instanceof java.net.http.HttpConnectTimeoutException) return "no answer to the connection attempt";
        if (e instanceof java.net.http.HttpTimeoutException) return "no answer in time";
        if (e instanceof java.nio.channels.UnresolvedAddressException || e instanceof java.net.UnknownHostException) return "unknown host";
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getCause() != null && e.getCause() != e ? describe(e.getCause()) : e.getClass().getSimpleName();
        // A server that is not HTTP (the goal-state port, say) puts its binary answer into the JDK's message.
        return m.replaceAll("[^\\x20-\\x7e]+", "?");
    }

    /** A server's answer, short enough for one line of a report. */
    public static String clip(String body) {
        String s = body == null ? "" : body.strip().replace('\n', ' ');
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "... (" + s.length() + " characters)";
    }
}
