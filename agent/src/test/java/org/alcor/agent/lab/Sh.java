package org.alcor.agent.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one command, returns exit code and output; never a shell unless asked. */
public final class Sh {
    public record Result(int code, String out) {
        public boolean ok() { return code == 0; }
    }

    private Sh() {}

    public static Result run(List<String> cmd) { return run(cmd, 30); }

    public static Result run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // read while it runs: output larger than the pipe buffer (a dump of thousands of flows) would block it
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try { return p.getInputStream().readAllBytes(); } catch (IOException e) { return new byte[0]; }
            }, Thread::startVirtualThread);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, "timeout: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }

    public static Result run(String... cmd) { return run(List.of(cmd)); }

    /** Like {@link #run} but fails the test on a non-zero exit. */
    public static String must(String... cmd) {
        Result r = run(List.of(cmd));
        if (!r.ok()) throw new IllegalStateException(String.join(" ", cmd) + " -> " + r.code() + ": " + r.out());
        return r.out();
    }
}
