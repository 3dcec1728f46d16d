package org.alcor.agent.flow;

import org.alcor.agent.openflow.Flow;
import org.alcor.agent.openflow.Instructions;
import org.alcor.agent.openflow.Match;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FlowTablesTest {
    static Flow flow(String res, int table, int port) {
        Match m = Match.builder().inPort(port).build();
        return new Flow(table, 100, FlowCookie.of(res, table, 100, m.fields(), Instructions.DROP.encoded()), m, Instructions.DROP);
    }

    @Test
    void onlyTheDifferenceIsSentAndAnAppliedDeltaLeavesNothingToDo() {
        FlowTables t = new FlowTables();
        Flow a = flow("port/a", 0, 1), b = flow("port/b", 0, 2), c = flow("port/c", 0, 3);
        t.setDesired(List.of(a, b));
        FlowDelta d = t.delta();
        assertEquals(List.of(), d.deletes());
        assertEquals(2, d.adds().size());
        t.markApplied(d);
        assertTrue(t.delta().isEmpty());
        t.setDesired(List.of(b, c));
        d = t.delta();
        assertEquals(List.of(a.cookie()), d.deletes());
        assertEquals(List.of(c), d.adds());
    }

    @Test
    void afterAReconnectTheDumpedCookiesAreTheInstalledTable() {
        FlowTables t = new FlowTables();
        Flow a = flow("port/a", 0, 1), b = flow("port/b", 0, 2);
        t.setDesired(List.of(a, b));
        t.resetInstalled(List.of(a.cookie(), 0x1234L));
        FlowDelta d = t.delta();
        assertEquals(List.of(0x1234L), d.deletes(), "a stale flow goes");
        assertEquals(List.of(b), d.adds(), "the unchanged flow a stays, only b is added");
    }

    @Test
    void cookiesNameTheResourceInTheHighBitsAndChangeWithTheContent() {
        Flow a1 = flow("port/a", 0, 1), a2 = flow("port/a", 0, 9);
        assertEquals(FlowCookie.resourceBits("port/a"), a1.cookie() & 0xffffffff00000000L);
        assertEquals(a1.cookie() & 0xffffffff00000000L, a2.cookie() & 0xffffffff00000000L);
        assertNotEquals(a1.cookie(), a2.cookie());
    }
}
