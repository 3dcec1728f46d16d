package org.alcor.agent.dhcp;

import java.util.List;

/**
 * Everything one reply carries, taken from the goal state's DhcpState and SubnetState. Addresses are IPv4 ints;
 * routes are {destination, prefix length, next hop}. {@code server} is the address the agent answers from
 * (option 54): the subnet's gateway, as the port owned by Neutron's DHCP agent would be another address.
 */
public record DhcpLease(long clientMac, int ip, int prefixLength, int gateway, List<Integer> dns, int mtu,
                        int leaseSeconds, List<int[]> hostRoutes, int server, long serverMac) {}
