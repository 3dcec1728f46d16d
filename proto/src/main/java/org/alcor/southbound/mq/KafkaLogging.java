package org.alcor.southbound.mq;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kafka's clients and broker log every configuration and every partition assignment at INFO (hundreds of lines per
 * client): that drowns Alcor's own log, so their loggers are kept at WARNING. The references are held because
 * java.util.logging forgets the level of a logger nobody references.
 */
public final class KafkaLogging {
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("org.apache.kafka"), Logger.getLogger("kafka"),
            Logger.getLogger("state.change.logger"));

    private KafkaLogging() { }

    public static void quiet() {
        for (Logger l : QUIETED) l.setLevel(Level.WARNING);
    }
}
