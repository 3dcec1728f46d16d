package org.alcor.controller.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.alcor.controller.testing.NeutronClient;

/**
 * Random Neutron API operations over a small cloud, of every kind a goal state depends on: networks and subnets
 * (DNS, host routes, DHCP), ports (created alone and in bulk, bound, moved, unbound, re-addressed, with address
 * pairs, groups, port security and admin state changed, deleted), security groups and rules (remote groups too),
 * routers and their interfaces and routes, and hosts' tunnel endpoints. Many operations are refused (a network
 * with ports, a taken address): that is part of the mix. Only the API is used, as a user would.
 */
final class RandomOperations {
    private final NeutronClient api;
    private final Random random;
    private final List<String> hosts;
    private final List<String> networks = new ArrayList<>(), subnets = new ArrayList<>(), ports = new ArrayList<>();
    private final List<String> groups = new ArrayList<>(), rules = new ArrayList<>(), routers = new ArrayList<>();
    private final Map<String, String> networkOfSubnet = new java.util.HashMap<>(), cidrOfSubnet = new java.util.HashMap<>();
    private int nextCidr;
    int accepted, refused;

    RandomOperations(NeutronClient api, Random random, List<String> hosts) {
        this.api = api;
        this.random = random;
        this.hosts = hosts;
    }

    /** One random operation. */
    void step() {
        int dice = random.nextInt(100);
        if (networks.size() < 2 || dice < 3) network();
        else if (dice < 7) subnet();
        else if (dice < 10) subnetUpdate();
        else if (dice < 35) port();
        else if (dice < 40) bulkPorts();
        else if (dice < 60) portUpdate();
        else if (dice < 70) portDelete();
        else if (dice < 74) group();
        else if (dice < 80) rule();
        else if (dice < 83) ruleDelete();
        else if (dice < 86) router();
        else if (dice < 91) routerInterface();
        else if (dice < 93) routerRoutes();
        else if (dice < 96) hostAddress();
        else if (dice < 98) networkDelete();
        else groupDelete();
    }

    private String any(List<String> from) { return from.isEmpty() ? null : from.get(random.nextInt(from.size())); }

    private boolean ok(NeutronClient.Response r) {
        boolean ok = r.status() / 100 == 2;
        if (ok) accepted++; else refused++;
        if (r.status() >= 500) throw new AssertionError("the controller failed: " + r.status() + " " + r.raw());
        return ok;
    }

    private void network() {
        var r = api.post("/v2.0/networks", Map.of("network", Map.of("name", "n" + networks.size())));
        if (ok(r)) {
            networks.add((String) r.member("network").get("id"));
            subnet(networks.getLast());
        }
    }

    private void subnet() { if (!networks.isEmpty()) subnet(any(networks)); }

    private void subnet(String network) {
        int n = nextCidr++;
        boolean v6 = random.nextInt(6) == 0;
        String cidr = v6 ? "fd00:" + Integer.toHexString(n) + "::/64" : "10." + (n / 256) + "." + (n % 256) + ".0/24";
        Map<String, Object> attrs = new java.util.HashMap<>(Map.of("network_id", network, "ip_version", v6 ? 6 : 4, "cidr", cidr,
                "enable_dhcp", random.nextBoolean()));
        if (!v6 && random.nextBoolean()) attrs.put("dns_nameservers", List.of("10.255.0." + (1 + random.nextInt(9))));
        var r = api.post("/v2.0/subnets", Map.of("subnet", attrs));
        if (ok(r)) {
            String id = (String) r.member("subnet").get("id");
            subnets.add(id);
            networkOfSubnet.put(id, network);
            cidrOfSubnet.put(id, cidr);
        }
    }

    private void subnetUpdate() {
        String s = any(subnets);
        if (s == null || cidrOfSubnet.get(s).contains(":")) return;
        String prefix = cidrOfSubnet.get(s).substring(0, cidrOfSubnet.get(s).lastIndexOf('.'));
        Map<String, Object> change = switch (random.nextInt(3)) {
            case 0 -> Map.of("dns_nameservers", random.nextBoolean() ? List.of() : List.of("10.255.1." + (1 + random.nextInt(9))));
            case 1 -> Map.of("host_routes", random.nextBoolean() ? List.of()
                    : List.of(Map.of("destination", "192.168." + random.nextInt(200) + ".0/24", "nexthop", prefix + ".1")));
            default -> Map.of("enable_dhcp", random.nextBoolean());
        };
        ok(api.put("/v2.0/subnets/" + s, Map.of("subnet", change)));
    }

    private Map<String, Object> portAttrs(String network) {
        Map<String, Object> attrs = new java.util.HashMap<>();
        attrs.put("network_id", network);
        if (random.nextInt(5) > 0) attrs.put("binding:host_id", any(hosts));
        if (!groups.isEmpty() && random.nextInt(3) == 0) attrs.put("security_groups", List.of(any(groups)));
        if (random.nextInt(8) == 0) {
            attrs.put("port_security_enabled", false);
            attrs.put("security_groups", List.of());
        }
        return attrs;
    }

    private void port() {
        String network = any(networks);
        var r = api.post("/v2.0/ports", Map.of("port", portAttrs(network)));
        if (ok(r)) ports.add((String) r.member("port").get("id"));
    }

    private void bulkPorts() {
        String network = any(networks);
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 1 + random.nextInt(5); i > 0; i--) many.add(portAttrs(network));
        var r = api.post("/v2.0/ports", Map.of("ports", many));
        if (ok(r)) for (Map<String, Object> p : r.list("ports")) ports.add((String) p.get("id"));
    }

    private void portUpdate() {
        String p = any(ports);
        if (p == null) return;
        Map<String, Object> change = switch (random.nextInt(7)) {
            case 0 -> Map.of("binding:host_id", random.nextInt(6) == 0 ? "" : any(hosts));
            case 1 -> Map.of("admin_state_up", random.nextBoolean());
            case 2 -> Map.of("allowed_address_pairs", random.nextBoolean() ? List.of()
                    : List.of(Map.of("ip_address", "10.200." + random.nextInt(200) + "." + random.nextInt(250))));
            case 3 -> groups.isEmpty() ? Map.of("name", "p") : Map.of("security_groups", List.of(any(groups)));
            case 4 -> Map.of("port_security_enabled", true);
            case 5 -> {
                String s = any(subnets);
                yield s == null ? Map.of("name", "q") : Map.of("fixed_ips", List.of(Map.of("subnet_id", s)));
            }
            default -> Map.of("name", "renamed" + random.nextInt(100));   // invisible to goal states
        };
        ok(api.put("/v2.0/ports/" + p, Map.of("port", change)));
    }

    private void portDelete() {
        String p = any(ports);
        if (p != null && ok(api.delete("/v2.0/ports/" + p))) ports.remove(p);
    }

    private void group() {
        var r = api.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "g" + groups.size())));
        if (ok(r)) groups.add((String) r.member("security_group").get("id"));
    }

    private void rule() {
        String g = any(groups);
        if (g == null) return;
        Map<String, Object> attrs = new java.util.HashMap<>(Map.of("security_group_id", g, "direction", random.nextBoolean() ? "ingress" : "egress",
                "protocol", random.nextBoolean() ? "tcp" : "icmp"));
        if (random.nextBoolean()) attrs.put("remote_group_id", any(groups));
        else attrs.put("remote_ip_prefix", "10." + random.nextInt(250) + ".0.0/16");
        if ("tcp".equals(attrs.get("protocol"))) {
            int port = 1 + random.nextInt(60000);
            attrs.put("port_range_min", port);
            attrs.put("port_range_max", port + random.nextInt(10));
        }
        var r = api.post("/v2.0/security-group-rules", Map.of("security_group_rule", attrs));
        if (ok(r)) rules.add((String) r.member("security_group_rule").get("id"));
    }

    private void ruleDelete() {
        String rule = any(rules);
        if (rule != null && ok(api.delete("/v2.0/security-group-rules/" + rule))) rules.remove(rule);
    }

    private void groupDelete() {
        String g = any(groups);
        if (g != null && ok(api.delete("/v2.0/security-groups/" + g))) groups.remove(g);
    }

    private void router() {
        var r = api.post("/v2.0/routers", Map.of("router", Map.of("name", "r" + routers.size())));
        if (ok(r)) routers.add((String) r.member("router").get("id"));
    }

    private void routerInterface() {
        String router = any(routers), s = any(subnets);
        if (router == null || s == null) return;
        String action = random.nextInt(3) == 0 ? "remove_router_interface" : "add_router_interface";
        ok(api.put("/v2.0/routers/" + router + "/" + action, Map.of("subnet_id", s)));
    }

    private void routerRoutes() {
        String router = any(routers), s = any(subnets);
        if (router == null || s == null || cidrOfSubnet.get(s).contains(":")) return;
        String prefix = cidrOfSubnet.get(s).substring(0, cidrOfSubnet.get(s).lastIndexOf('.'));
        List<Object> routes = random.nextBoolean() ? List.of()
                : List.of(Map.of("destination", "172.16." + random.nextInt(200) + ".0/24", "nexthop", prefix + "." + (2 + random.nextInt(200))));
        ok(api.put("/v2.0/routers/" + router, Map.of("router", Map.of("routes", routes))));
    }

    private void hostAddress() {
        String host = any(hosts);
        ok(api.put("/v2.0/hosts/" + host, Map.of("host", Map.of("host_ip", "192.0.2." + (1 + random.nextInt(200))))));
    }

    private void networkDelete() {
        String n = any(networks);
        if (n == null || networks.size() <= 2) return;
        if (ok(api.delete("/v2.0/networks/" + n))) {
            networks.remove(n);
            subnets.removeIf(s -> n.equals(networkOfSubnet.get(s)));
        }
    }
}
