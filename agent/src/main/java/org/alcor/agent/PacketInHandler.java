package org.alcor.agent;

import org.alcor.agent.dhcp.DhcpResponder;
import org.alcor.agent.openflow.Actions;
import org.alcor.agent.openflow.OfConnection;
import org.alcor.agent.openflow.OfMessages;
import org.alcor.agent.openflow.PacketIn;
import org.alcor.agent.pipeline.Tables;

import java.util.function.Supplier;

/**
 * Packet-ins by the table that sent them: DHCP from port security is answered at once on the reader thread
 * (no I/O but one packet-out); the punts of ON_DEMAND VPCs (ARP responder, L3 neighbour, ingress security group)
 * go to {@link OnDemandNeighbors}.
 */
final class PacketInHandler {
    private final DhcpResponder dhcp;
    private final OnDemandNeighbors onDemand;
    private final Supplier<OfConnection> connection;

    PacketInHandler(DhcpResponder dhcp, OnDemandNeighbors onDemand, Supplier<OfConnection> connection) {
        this.dhcp = dhcp;
        this.onDemand = onDemand;
        this.connection = connection;
    }

    void handle(PacketIn pi) {
        switch (pi.tableId()) {
            case Tables.PORT_SECURITY -> {
                OfConnection of = connection.get();
                byte[] reply = dhcp.answer(pi.data());
                if (of != null && reply != null) {
                    of.send(OfMessages.packetOut(of.nextXid(), pi.inPort() == -1 ? 0 : pi.inPort(), Actions.of().output(Actions.PORT_IN_PORT), reply));
                }
            }
            case Tables.ARP_RESPONDER, Tables.L3_NEIGHBOR -> onDemand.unknownDestination(pi);
            case Tables.INGRESS_SG -> onDemand.unknownSource(pi);
            default -> { }
        }
    }
}
