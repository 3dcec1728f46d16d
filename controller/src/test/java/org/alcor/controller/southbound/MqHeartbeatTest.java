package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.alcor.southbound.mq.MqLayout;
import org.junit.jupiter.api.Test;

/** Idle agents' heartbeats on the MQ path stay within the controller's budget as the fleet grows. */
class MqHeartbeatTest {
    private static MqSettings budget(int perSecond) {
        return new MqSettings(MqLayout.parse("127.0.0.1:9092", 4, 8), MqSettings.Mode.MQ, 5_000, 5_000, 30_000, perSecond);
    }

    @Test
    void theIntervalGrowsWithTheHostsOnThePathWithinTwoSecondsAndAMinute() {
        MqSettings s = budget(MqSettings.DEFAULT_HEARTBEATS_PER_SECOND);
        assertEquals(2_000, s.heartbeatMillis(1), "a small fleet keeps the 2 s of agents that predate the announcement");
        assertEquals(2_000, s.heartbeatMillis(4_000));
        assertEquals(5_000, s.heartbeatMillis(10_000), "10,000 hosts at 2,000 records/s");
        assertEquals(60_000, s.heartbeatMillis(500_000), "capped: 500,000 hosts write 8,333/s, not 250,000/s");
        assertEquals(10_000, budget(1).heartbeatMillis(10));
    }

    @Test
    void aStreamIsGoneAfterFiveOfItsIntervalsAndNeverBeforeTwentySeconds() {
        assertEquals(TimeUnit.SECONDS.toNanos(20), KafkaSouthbound.silence(0), "an agent that says no interval beats every 2 s");
        assertEquals(TimeUnit.SECONDS.toNanos(20), KafkaSouthbound.silence(2_000));
        assertEquals(TimeUnit.SECONDS.toNanos(300), KafkaSouthbound.silence(60_000));
    }

    @Test
    void aBudgetBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> budget(0));
    }
}
