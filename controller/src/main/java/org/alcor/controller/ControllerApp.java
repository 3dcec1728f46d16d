package org.alcor.controller;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.api.AlcorResources;
import org.alcor.controller.api.ApiServer;
import org.alcor.controller.api.CustomCollection;
import org.alcor.controller.api.IpAvailabilityEndpoints;
import org.alcor.controller.ipavailability.IpAvailabilityService;
import org.alcor.controller.api.QuotaEndpoints;
import org.alcor.controller.api.Authenticator;
import org.alcor.controller.api.NeutronResources;
import org.alcor.controller.api.NoAuth;
import org.alcor.controller.auth.KeystoneAuth;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.node.HostService;
import org.alcor.controller.southbound.SouthboundServer;
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.mac.MacAllocator;
import org.alcor.controller.nacl.NetworkAclService;
import org.alcor.controller.nacl.SubnetAcls;
import org.alcor.controller.network.NetworkService;
import org.alcor.controller.floatingip.FloatingIpAssociations;
import org.alcor.controller.floatingip.FloatingIpService;
import org.alcor.controller.port.PortService;
import org.alcor.controller.router.RouterService;
import org.alcor.controller.router.SubnetRouterLinks;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.securitygroup.DefaultSecurityGroups;
import org.alcor.controller.securitygroup.PortSecurityGroups;
import org.alcor.controller.securitygroup.SecurityGroupMembers;
import org.alcor.controller.securitygroup.SecurityGroupRuleService;
import org.alcor.controller.securitygroup.SecurityGroupService;
import org.alcor.controller.segment.SegmentRangeService;
import org.alcor.controller.segment.SegmentRanges;
import org.alcor.controller.segment.VniAllocator;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.IgniteStore;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.Table;
import org.alcor.controller.subnet.SubnetDeleteHook;
import org.alcor.controller.subnet.SubnetService;

/** One controller process: the store, the domain services and the REST API, wired by constructor. */
public final class ControllerApp implements AutoCloseable {
    private final Store store;
    private final WriteBatcher writes;
    private final DataplaneEngine dataplane;
    private final SouthboundServer southbound;
    private final ApiServer api;
    private final SecurityGroupService securityGroups;
    private final SecurityGroupMembers securityGroupMembers;

    private ControllerApp(Store store, WriteBatcher writes, DataplaneEngine dataplane, SouthboundServer southbound, ApiServer api,
                          SecurityGroupService securityGroups, SecurityGroupMembers securityGroupMembers) {
        this.store = store;
        this.writes = writes;
        this.dataplane = dataplane;
        this.southbound = southbound;
        this.api = api;
        this.securityGroups = securityGroups;
        this.securityGroupMembers = securityGroupMembers;
    }

    public static ControllerApp start(ControllerConfig config) {
        return start(config, IgniteStore.start(config.store()), DataplaneEngine.NONE);
    }

    /**
     * A controller on the given store (tests use {@link org.alcor.controller.store.MemoryStore}), whose goal-state
     * engine calls faults at every round (tests inject engine failures there). Closing the controller closes the store.
     */
    public static ControllerApp start(ControllerConfig config, Store store, DataplaneEngine.Faults faults) {
        DataplaneEngine dataplane = null;
        SouthboundServer southbound = null;
        try {
            var writes = new WriteBatcher(store, config.writeLanes(), config.maxBatch());
            var bitmap = new BitmapAllocator();
            var ips = new IpAllocator(bitmap);
            var macs = new MacAllocator(bitmap, config.macPrefix());
            var segmentRangeRows = new ResourceRepository(store, Table.NETWORK_SEGMENT_RANGES, "NetworkSegmentRange");
            var vnis = new VniAllocator(bitmap, config.vniRange(), new SegmentRanges(store, segmentRangeRows));
            var networks = new ResourceRepository(store, Table.NETWORKS, "Network");
            var subnets = new ResourceRepository(store, Table.SUBNETS, "Subnet");
            var ports = new ResourceRepository(store, Table.PORTS, "Port");
            var groupRows = new ResourceRepository(store, Table.SECURITY_GROUPS, "SecurityGroup");
            var ruleRows = new ResourceRepository(store, Table.SECURITY_GROUP_RULES, "SecurityGroupRule");
            var quotas = new QuotaService(store, writes);
            var members = new SecurityGroupMembers(store);
            var defaultGroups = new DefaultSecurityGroups(groupRows, ruleRows, quotas);
            var securityGroups = new SecurityGroupService(groupRows, ruleRows, members, defaultGroups, quotas, writes);
            var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(metrics);
            // CPU seconds this process used: the bench divides it by the ports it created.
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                io.micrometer.core.instrument.FunctionCounter.builder("alcor_process_cpu_seconds", os, o -> o.getProcessCpuTime() / 1e9)
                        .register(metrics);
            }
            var routers = new ResourceRepository(store, Table.ROUTERS, "Router");
            var networkAcls = new NetworkAclService(new ResourceRepository(store, Table.NETWORK_ACLS, "NetworkAcl"), subnets,
                    new SubnetAcls(store), writes);
            List<SubnetDeleteHook> subnetDeleteHooks = List.of(networkAcls::subnetDeleted);
            var links = new SubnetRouterLinks(store);
            // A floating IP's network is its floating network and its device the port it is associated with: both indexed.
            var floatingIps = new ResourceRepository(store, Table.FLOATINGIPS, "FloatingIP",
                    Map.of(Column.NETWORK, "floating_network_id", Column.DEVICE, "port_id"));
            var associations = new FloatingIpAssociations(floatingIps, ports, links);
            var hostService = new HostService(new ResourceRepository(store, Table.HOSTS, "Host"), ports, writes);
            var portService = new PortService(ports, networks, subnets, writes, ips, macs, hostService, List.of(associations::portDeleted),
                    quotas, new PortSecurityGroups(groupRows, defaultGroups, members));
            dataplane = new DataplaneEngine(store, config.southbound().neighborPushLimit(), config.southbound().maxMessageBytes(), faults);
            dataplane.reconcileEvery(config.southbound().reconcileSeconds());
            southbound = SouthboundServer.start(config.southbound(), dataplane, hostService, portService::applyReports, metrics, store.replicas());
            var definitions = List.of(
                    NeutronResources.networks(new NetworkService(networks, subnets, ports, writes, vnis, ips, macs, quotas, subnetDeleteHooks)),
                    NeutronResources.subnets(new SubnetService(subnets, networks, writes, ips, quotas, subnetDeleteHooks)),
                    NeutronResources.ports(portService),
                    NeutronResources.routers(new RouterService(routers, networks, subnets, ports, portService, links, writes, quotas)),
                    NeutronResources.floatingips(new FloatingIpService(floatingIps, networks, subnets, ports, portService, associations, writes, quotas)),
                    AlcorResources.networkAcls(networkAcls),
                    AlcorResources.hosts(hostService),
                    NeutronResources.securityGroups(securityGroups),
                    NeutronResources.securityGroupRules(new SecurityGroupRuleService(ruleRows, groupRows, securityGroups, quotas, writes)),
                    NeutronResources.networkSegmentRanges(new SegmentRangeService(segmentRangeRows, store, writes)));
            List<CustomCollection> custom = List.of(new QuotaEndpoints(quotas),
                    new IpAvailabilityEndpoints(new IpAvailabilityService(networks, subnets, ips, store)));
            DataplaneEngine engine = dataplane;
            SouthboundServer sb = southbound;
            // Ready only while goal states flow: a dead engine or report writer must not look healthy.
            var api = new ApiServer(config.api(), definitions, authenticator(config), custom, metrics,
                    () -> store.isReady() && engine.healthy() && sb.healthy(),
                    Map.of("/southbound/hosts", southbound::status)).start();
            return new ControllerApp(store, writes, dataplane, southbound, api, securityGroups, members);
        } catch (RuntimeException e) {
            if (southbound != null) southbound.close();
            if (dataplane != null) dataplane.close();
            store.close();
            throw e;
        }
    }

    private static Authenticator authenticator(ControllerConfig config) {
        return config.auth().equals("keystone") ? new KeystoneAuth(config.keystone()) : new NoAuth();
    }

    public int port() { return api.port(); }

    /** The ops listener's port (health, readiness, metrics without a token), or -1 when there is none. */
    public int opsPort() { return api.opsPort(); }

    public Store store() { return store; }

    public int southboundPort() { return southbound.port(); }

    public SouthboundServer southbound() { return southbound; }

    public DataplaneEngine dataplane() { return dataplane; }

    /** For the data plane: a group's rules ({@link SecurityGroupService#rulesOf}). */
    public SecurityGroupService securityGroups() { return securityGroups; }

    /** For the data plane: a group's ports ({@link SecurityGroupMembers#portsOf}). */
    public SecurityGroupMembers securityGroupMembers() { return securityGroupMembers; }

    @Override
    public void close() {
        api.close();
        southbound.close();
        dataplane.close();
        writes.close();
        store.close();
    }
}
