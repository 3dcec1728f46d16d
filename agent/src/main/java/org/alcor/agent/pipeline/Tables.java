package org.alcor.agent.pipeline;

/**
 * The br-int pipeline (docs/dataplane.md has the full picture). Registers: reg6 = VNI of the packet's VPC,
 * reg7 = local ofport the packet is to be delivered to (set before the ingress stage).
 */
public final class Tables {
    /** in_port → VPC (reg6); local ports go to port security, the tunnel to its own L2 table. */
    public static final int CLASSIFY = 0;
    /** Anti-spoofing: only the port's MAC and IPs (and allowed address pairs); DHCP to the agent. */
    public static final int PORT_SECURITY = 10;
    /** Egress security group, entered after ct() with ct_state set. */
    public static final int EGRESS_SG = 21;
    /** ARP requests for known addresses answered in place; the rest switched (punted in ON_DEMAND VPCs). */
    public static final int ARP_RESPONDER = 30;
    /** Distributed routing between subnets of one router: MAC rewrite and TTL decrement. */
    public static final int L3_ROUTE = 40;
    /** Routed packets get the destination's MAC; unknown destinations are dropped (punted in ON_DEMAND VPCs). */
    public static final int L3_NEIGHBOR = 45;
    /** Switching of locally originated packets: local port, remote host over VXLAN, or flood. */
    public static final int L2_LOCAL = 50;
    /** Switching of packets from the tunnel: only ever to local ports. */
    public static final int L2_FROM_TUNNEL = 55;
    /** Ingress security group: conntrack per destination port; the agent re-injects held packets here. */
    public static final int INGRESS_CT = 70;
    /** Ingress rules; in ON_DEMAND VPCs new connections no rule admits are punted so their source can be learnt. */
    public static final int INGRESS_SG = 71;

    public static final int REG_VNI = 6;
    public static final int REG_OUT_PORT = 7;

    /** Ethernet types and IP protocols used in matches. */
    public static final int ETH_IP = 0x0800, ETH_ARP = 0x0806;
    public static final int IP_ICMP = 1, IP_TCP = 6, IP_UDP = 17;

    /** ct_state bits (OVS nicira-ext.h). */
    public static final int CT_NEW = 0x01, CT_EST = 0x02, CT_REL = 0x04, CT_INV = 0x10, CT_TRK = 0x20;

    private Tables() {}
}
