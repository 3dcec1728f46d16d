package org.alcor.agent.openflow;

/**
 * One OpenFlow flow as the agent wants it installed. The cookie identifies the flow: the pipeline derives it
 * from the owning resource and the flow's content (see {@code flow.FlowCookie}), so equal cookies mean equal
 * flows and a changed flow always gets a new cookie.
 */
public record Flow(int table, int priority, long cookie, Match match, Instructions instructions) {
    @Override public String toString() {
        return "table=" + table + ",priority=" + priority + ",cookie=0x" + Long.toHexString(cookie) + "," + match + "," + instructions;
    }
}
