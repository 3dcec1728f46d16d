package org.alcor.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Copied from the controller's test fixtures (another module's test classes are not on this class path).
 * The real OpenStack CLI (Debian's python3-openstackclient) run against a controller with noauth, as the lab recipe
 * uses it. Missing CLI: the test is skipped locally, but fails under CI=true (CI installs it).
 */
public final class OpenStackCli {
    public static final Path CLI = Path.of("/usr/bin/openstack");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final Path outputDir;

    public OpenStackCli(String endpoint, Path outputDir) {
        this.endpoint = endpoint;
        this.outputDir = outputDir;
    }

    /** Skips (or, under CI, fails) the calling test class when the CLI is not installed. */
    public static void requireInstalled() {
        if (Files.isExecutable(CLI)) return;
        if ("true".equals(System.getenv("CI"))) fail(CLI + " is missing; install python3-openstackclient");
        Assumptions.abort(CLI + " is missing (apt-get install python3-openstackclient)");
    }

    /** One CLI run: exit code, stdout, stderr. */
    public record Result(int exit, String out, String err) {
        public JsonNode json() {
            assertEquals(0, exit, this::toString);
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        public Result ok() {
            assertEquals(0, exit, this::toString);
            return this;
        }
    }

    public Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(CLI.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(outputDir, "cli", ".out"), err = Files.createTempFile(outputDir, "cli", ".err");
            var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            // The CLI is Debian's: a pyenv Python's paths would load other (or no) openstack modules.
            env.keySet().removeIf(k -> k.startsWith("PYTHON") || k.startsWith("PYENV") || k.startsWith("OS_"));
            env.put("OS_AUTH_TYPE", "none");
            env.put("OS_ENDPOINT", endpoint);
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                fail("openstack " + String.join(" ", args) + " did not finish within 2 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
