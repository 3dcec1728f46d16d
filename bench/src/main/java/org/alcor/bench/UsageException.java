package org.alcor.bench;

/** Bad command line; {@link #help()} is the same path used for an explicit --help, so both print usage. */
final class UsageException extends Exception {
    private final boolean help;

    UsageException(String message) {
        this(message, false);
    }

    private UsageException(String message, boolean help) {
        super(message);
        this.help = help;
    }

    static UsageException help() {
        return new UsageException("help requested", true);
    }

    boolean isHelp() {
        return help;
    }
}
