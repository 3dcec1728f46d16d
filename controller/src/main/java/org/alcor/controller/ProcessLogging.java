package org.alcor.controller;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The controller's log lines on stderr, one per line with time and level: through a handler of the {@code org.alcor}
 * logger itself, not the root logger's. With only the root's, none of the controller's INFO or WARNING lines reached
 * the output once Ignite had started (its JavaLogger, in quiet mode, configures java.util.logging its own way).
 */
final class ProcessLogging {
    /** Held: java.util.logging keeps loggers weakly, and a collected one would lose this configuration. */
    private static Logger alcor;

    private ProcessLogging() {}

    static synchronized void install() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        if (alcor != null) return;
        alcor = Logger.getLogger("org.alcor");
        var handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new SimpleFormatter());
        alcor.addHandler(handler);
        alcor.setUseParentHandlers(false);
        if (alcor.getLevel() == null) alcor.setLevel(Level.INFO);
    }
}
