package org.alcor.controller;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.api.ApiServer;
import org.alcor.controller.api.CustomCollection;
import org.alcor.controller.api.IpAvailabilityEndpoints;
import org.alcor.controller.ipavailability.IpAvailabilityService;
import org.alcor.controller.api.QuotaEndpoints;
import org.alcor.controller.api.NeutronResources;
import org.alcor.controller.api.NoAuth;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.mac.MacAllocator;
import org.alcor.controller.network.NetworkService;
import org.alcor.controller.port.PortService;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.securitygroup.DefaultSecurityGroups;
import org.alcor.controller.securitygroup.PortSecurityGroups;
import org.alcor.controller.securitygroup.SecurityGroupMembers;
import org.alcor.controller.securitygroup.SecurityGroupRuleService;
import org.alcor.controller.securitygroup.SecurityGroupService;
import org.alcor.controller.segment.SegmentRangeService;
import org.alcor.controller.segment.SegmentRanges;
import org.alcor.controller.segment.VniAllocator;
import org.alcor.controller.store.IgniteStore;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.Table;
import org.alcor.controller.subnet.SubnetService;

/** One controller process: the store, the domain services and the REST API, wired by constructor. */
public final class ControllerApp implements AutoCloseable {
    private final Store store;
    private final WriteBatcher writes;
    private final ApiServer api;
    private final SecurityGroupService securityGroups;
    private final SecurityGroupMembers securityGroupMembers;

    private ControllerApp(Store store, WriteBatcher writes, ApiServer api, SecurityGroupService securityGroups,
                          SecurityGroupMembers securityGroupMembers) {
        this.store = store;
        this.writes = writes;
        this.api = api;
        this.securityGroups = securityGroups;
        this.securityGroupMembers = securityGroupMembers;
    }

    public static ControllerApp start(ControllerConfig config) {
        Store store = IgniteStore.start(config.store());
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
            var definitions = List.of(
                    NeutronResources.networks(new NetworkService(networks, subnets, ports, writes, vnis, ips, macs, quotas)),
                    NeutronResources.subnets(new SubnetService(subnets, networks, writes, ips, quotas)),
                    NeutronResources.ports(new PortService(ports, networks, subnets, writes, ips, macs, quotas,
                            new PortSecurityGroups(groupRows, defaultGroups, members))),
                    NeutronResources.securityGroups(securityGroups),
                    NeutronResources.securityGroupRules(new SecurityGroupRuleService(ruleRows, groupRows, securityGroups, quotas, writes)),
                    NeutronResources.networkSegmentRanges(new SegmentRangeService(segmentRangeRows, store, writes)));
            List<CustomCollection> custom = List.of(new QuotaEndpoints(quotas),
                    new IpAvailabilityEndpoints(new IpAvailabilityService(networks, subnets, ips, store)));
            var api = new ApiServer(config.api(), definitions, custom, new NoAuth(), metrics, store::isReady).start();
            return new ControllerApp(store, writes, api, securityGroups, members);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public int port() { return api.port(); }

    public Store store() { return store; }

    /** For the data plane: a group's rules ({@link SecurityGroupService#rulesOf}). */
    public SecurityGroupService securityGroups() { return securityGroups; }

    /** For the data plane: a group's ports ({@link SecurityGroupMembers#portsOf}). */
    public SecurityGroupMembers securityGroupMembers() { return securityGroupMembers; }

    @Override
    public void close() {
        api.close();
        writes.close();
        store.close();
    }
}
