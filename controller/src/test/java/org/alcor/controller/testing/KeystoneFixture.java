package org.alcor.controller.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Keystone (Debian's keystone 22 under uwsgi, sqlite, fernet tokens; the lab recipe) on a free loopback
 * port in a temporary directory, with the bootstrap admin ({@code admin}/{@link #ADMIN_PASSWORD} in project
 * {@code admin}). It installs nothing: {@link #missing()} names what is not there. {@link #close()} stops the
 * uwsgi processes it started (by PID) and deletes the directory. Keystone is slow on a loaded box (a token issue
 * took 7–50 s here), so every wait has a generous deadline.
 */
public final class KeystoneFixture implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "adminpw";
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final List<Path> NEEDED = List.of(Path.of("/usr/bin/keystone-manage"), Path.of("/usr/bin/keystone-wsgi-public"),
            Path.of("/usr/bin/uwsgi"), Path.of("/usr/lib/uwsgi/plugins/python3_plugin.so"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private Process uwsgi;
    private List<ProcessHandle> started = List.of();
    private String adminToken;
    private final Thread shutdownHook = new Thread(this::stopProcesses, "keystone-fixture-stop");

    private KeystoneFixture(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** What this machine lacks to run Keystone (empty when nothing): Debian's keystone, uwsgi, uwsgi-plugin-python3. */
    public static List<Path> missing() { return NEEDED.stream().filter(p -> !Files.exists(p)).toList(); }

    public static KeystoneFixture start() {
        Path dir = TestController.createTempDir();
        KeystoneFixture k = new KeystoneFixture(dir, FreePorts.next());
        try {
            k.init();
            k.serve();
            return k;
        } catch (RuntimeException | Error e) {
            k.close();
            throw e;
        }
    }

    public String url() { return "http://127.0.0.1:" + port + "/v3"; }

    private void init() {
        try {
            Files.createDirectories(dir.resolve("fernet-keys"));
            Files.createDirectories(dir.resolve("credential-keys"));
            Files.writeString(dir.resolve("keystone.conf"), """
                    [DEFAULT]
                    log_file = %1$s/keystone.log
                    [database]
                    connection = sqlite:///%1$s/keystone.sqlite
                    [token]
                    provider = fernet
                    [fernet_tokens]
                    key_repository = %1$s/fernet-keys
                    [fernet_receipts]
                    key_repository = %1$s/fernet-keys
                    [credential]
                    key_repository = %1$s/credential-keys
                    [cache]
                    enabled = false
                    """.formatted(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        manage("db_sync");
        // WAL journal: in sqlite's default rollback journal, POST /v3/services failed here with "database is locked"
        // (a commit waits for every reader) and uwsgi dropped the connection without a response.
        run(List.of("/usr/bin/python3", "-c", "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL')",
                dir.resolve("keystone.sqlite").toString()), "journal_mode=WAL");
        manage("fernet_setup", "--keystone-user", "root", "--keystone-group", "root");
        manage("credential_setup", "--keystone-user", "root", "--keystone-group", "root");
        manage("bootstrap", "--bootstrap-password", ADMIN_PASSWORD, "--bootstrap-region-id", "RegionOne",
                "--bootstrap-admin-url", url(), "--bootstrap-public-url", url(), "--bootstrap-internal-url", url());
    }

    private void manage(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/keystone-manage", "--config-file", dir.resolve("keystone.conf").toString()));
        command.addAll(List.of(args));
        run(command, "keystone-manage " + args[0]);
    }

    private void run(List<String> command, String what) {
        Path log = dir.resolve("manage.log");
        try {
            Process p = debianPython(new ProcessBuilder(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(what + " did not finish within " + DEADLINE + ": " + tail(log));
            }
            if (p.exitValue() != 0) throw new AssertionError(what + " failed: " + tail(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void serve() {
        // uwsgi's HTTP router; 'Connection: close' because a client reusing a connection the router has just closed
        // gets "Remote end closed connection without response". sqlite allows one writer: one process, one thread.
        var builder = debianPython(new ProcessBuilder("/usr/bin/uwsgi", "--plugin", "python3,http", "--http", "127.0.0.1:" + port,
                "--add-header", "Connection: close", "--wsgi-file", "/usr/bin/keystone-wsgi-public", "--master", "--die-on-term",
                "--processes", "1", "--threads", "1", "--env", "OS_KEYSTONE_CONFIG_FILES=" + dir.resolve("keystone.conf")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("uwsgi.log").toFile());
        try {
            uwsgi = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Await.until("Keystone answering on " + url(), DEADLINE, () -> {
            if (!uwsgi.isAlive()) throw new AssertionError("uwsgi exited: " + tail(dir.resolve("uwsgi.log")));
            try {
                return get(URI.create(url()), null).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        adminToken = token("admin", ADMIN_PASSWORD, "admin");
    }

    /** A project-scoped token for the user (domain Default); Keystone may take up to the deadline to issue it. */
    public String token(String user, String password, String project) {
        Map<String, Object> domain = Map.of("name", "Default");
        Map<String, Object> body = Map.of("auth", Map.of(
                "identity", Map.of("methods", List.of("password"), "password", Map.of("user", Map.of("name", user, "domain", domain, "password", password))),
                "scope", Map.of("project", Map.of("name", project, "domain", domain))));
        HttpResponse<String> r = send("POST", "/auth/tokens", body, null);
        if (r.statusCode() != 201) throw new AssertionError("token for " + user + ": " + r.statusCode() + " " + r.body());
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    /** Revokes the token (DELETE /v3/auth/tokens). */
    public void revoke(String token) {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create(url() + "/auth/tokens")).timeout(DEADLINE).header("X-Auth-Token", adminToken)
                    .header("X-Subject-Token", token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 204) throw new AssertionError("revoke: " + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String createProject(String name) {
        return id(admin("POST", "/projects", Map.of("project", Map.of("name", name, "domain_id", "default"))), "project");
    }

    public String createUser(String name, String password) {
        return id(admin("POST", "/users", Map.of("user", Map.of("name", name, "password", password, "domain_id", "default"))), "user");
    }

    /** Gives the user the named role (bootstrap creates admin, member and reader) on the project. */
    public void grant(String projectId, String userId, String role) {
        JsonNode roles = read(admin("GET", "/roles?name=" + role, null)).path("roles");
        if (roles.isEmpty()) throw new AssertionError("no role " + role);
        HttpResponse<String> r = admin("PUT", "/projects/" + projectId + "/users/" + userId + "/roles/" + roles.get(0).path("id").asText(), null);
        if (r.statusCode() != 204) throw new AssertionError("grant " + role + ": " + r.statusCode() + " " + r.body());
    }

    /** Registers a service of the type in the catalog with public and internal endpoints at url (region RegionOne). */
    public void registerService(String type, String name, String url) {
        String service = id(admin("POST", "/services", Map.of("service", Map.of("type", type, "name", name, "enabled", true))), "service");
        for (String iface : List.of("public", "internal")) {
            id(admin("POST", "/endpoints", Map.of("endpoint", Map.of("service_id", service, "interface", iface, "url", url,
                    "region_id", "RegionOne", "enabled", true))), "endpoint");
        }
    }

    private HttpResponse<String> admin(String method, String path, Object body) { return send(method, path, body, adminToken); }

    private static String id(HttpResponse<String> r, String member) {
        if (r.statusCode() != 201) throw new AssertionError("create " + member + ": " + r.statusCode() + " " + r.body());
        return read(r).path(member).path("id").asText();
    }

    private static JsonNode read(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private HttpResponse<String> send(String method, String path, Object body, String token) {
        try {
            var b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(DEADLINE).header("Accept", "application/json");
            if (token != null) b.header("X-Auth-Token", token);
            if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
            else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " to Keystone", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(URI uri, String token) throws IOException {
        try {
            var b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
            if (token != null) b.header("X-Auth-Token", token);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Debian's Python for Debian's scripts: a pyenv interpreter's variables would load other (or no) modules. */
    public static ProcessBuilder debianPython(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("PYTHON") || k.startsWith("PYENV") || k.startsWith("OS_"));
        env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        return builder;
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) return "(no " + log.getFileName() + ")";
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable " + log + ")";
        }
    }

    /** Stops uwsgi (its master, router and workers: exactly the processes this fixture started) by PID. */
    private synchronized void stopProcesses() {
        if (uwsgi == null) return;
        List<ProcessHandle> all = new ArrayList<>(uwsgi.descendants().toList());
        all.add(uwsgi.toHandle());
        started = all;
        uwsgi.destroy(); // SIGTERM: --die-on-term makes the master stop its workers and router
        try {
            if (!uwsgi.waitFor(30, TimeUnit.SECONDS)) uwsgi.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle p : started) if (p.isAlive()) p.destroyForcibly();
        uwsgi = null;
    }

    /** The PIDs of the processes that ran Keystone (for tests checking the clean-up). */
    public List<ProcessHandle> startedProcesses() { return started; }

    @Override
    public void close() {
        try {
            stopProcesses();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // shutting down already, or the hook was never added
            }
        } finally {
            TestController.deleteRecursively(dir);
        }
    }
}
