package org.alcor.bench;

/** What one request achieved: ports created (or deleted), or why it counts as an error. */
record Outcome(int ports, String errorKey, String errorBody) {
    static Outcome ok(int ports) {
        return new Outcome(ports, null, null);
    }

    static Outcome error(String key, String body) {
        return new Outcome(0, key, body);
    }

    boolean isOk() {
        return errorKey == null;
    }
}
