package org.alcor.controller;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.api.ApiServer;
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
import org.alcor.controller.network.NetworkService;
import org.alcor.controller.port.PortService;
import org.alcor.controller.segment.VniAllocator;
import org.alcor.controller.store.IgniteStore;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.Table;
import org.alcor.controller.subnet.SubnetService;

/** One controller process: the store, the domain services and the REST API, wired by constructor. */
public final class ControllerApp implements AutoCloseable {
    private final Store store;
    private final WriteBatcher writes;
    private final DataplaneEngine dataplane;
    private final SouthboundServer southbound;
    private final ApiServer api;

    private ControllerApp(Store store, WriteBatcher writes, DataplaneEngine dataplane, SouthboundServer southbound, ApiServer api) {
        this.store = store;
        this.writes = writes;
        this.dataplane = dataplane;
        this.southbound = southbound;
        this.api = api;
    }

    public static ControllerApp start(ControllerConfig config) {
        Store store = IgniteStore.start(config.store());
        DataplaneEngine dataplane = null;
        SouthboundServer southbound = null;
        try {
            var writes = new WriteBatcher(store, config.writeLanes(), config.maxBatch());
            var bitmap = new BitmapAllocator();
            var ips = new IpAllocator(bitmap);
            var macs = new MacAllocator(bitmap, config.macPrefix());
            var vnis = new VniAllocator(bitmap, config.vniRange());
            var networks = new ResourceRepository(store, Table.NETWORKS, "Network");
            var subnets = new ResourceRepository(store, Table.SUBNETS, "Subnet");
            var ports = new ResourceRepository(store, Table.PORTS, "Port");
            var hostService = new HostService(new ResourceRepository(store, Table.HOSTS, "Host"), ports, writes);
            var portService = new PortService(ports, networks, subnets, writes, ips, macs, hostService);
            var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            dataplane = new DataplaneEngine(store, config.southbound().neighborPushLimit());
            southbound = SouthboundServer.start(config.southbound(), dataplane, hostService, portService::applyReports, metrics);
            var definitions = List.of(
                    NeutronResources.networks(new NetworkService(networks, subnets, ports, writes, vnis, ips, macs)),
                    NeutronResources.subnets(new SubnetService(subnets, networks, writes, ips)),
                    NeutronResources.ports(portService),
                    NeutronResources.hosts(hostService));
            var api = new ApiServer(config.api(), definitions, authenticator(config), metrics, store::isReady,
                    java.util.Map.of("/southbound/hosts", southbound::status)).start();
            return new ControllerApp(store, writes, dataplane, southbound, api);
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

    public Store store() { return store; }

    public int southboundPort() { return southbound.port(); }

    public DataplaneEngine dataplane() { return dataplane; }

    @Override
    public void close() {
        api.close();
        southbound.close();
        dataplane.close();
        writes.close();
        store.close();
    }
}
