package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.alcor.controller.port.PortReport;
import org.alcor.controller.testing.Await;
import org.junit.jupiter.api.Test;

/** Reports of port status are retried until the store takes them, however long it refuses. */
class PortReportsTest {
    @Test
    void aReportIsDeliveredAfterManyFailedWrites() {
        AtomicInteger attempts = new AtomicInteger();
        List<PortReport> delivered = new CopyOnWriteArrayList<>();
        try (var reports = new PortReports(batch -> {
            if (attempts.incrementAndGet() <= 12) throw new IllegalStateException("the store is failing over");
            delivered.addAll(batch);
        }, 1, 4)) {
            reports.add(new PortReport("port-1", "host-1", true, ""));
            Await.until("the report delivered", () -> delivered.size() == 1);
            assertEquals(13, attempts.get(), "twelve refusals, then the write");
            assertEquals("port-1", delivered.getFirst().portId());
        }
    }
}
