package org.alcor.bench.southbound;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The child side of {@code --processes N} (the hidden {@code alcor bench southbound-agents}): runs one share of the
 * agents and speaks {@link AgentLines} on stdin and stdout until stdin ends.
 */
public final class AgentProcess {
    public static final String SUBCOMMAND = "southbound-agents";

    private final Writer out;
    private volatile boolean outBroken;
    /** Set by "connect"; read by the command loop only. */
    private AgentShare share;

    private AgentProcess(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    /** args: --southbound HOST:PORT --channels K. Returns the exit code. */
    public static int run(String[] args, InputStream in, OutputStream out, PrintStream err) {
        String southbound = null;
        int channels = 8;
        String kafka = null;
        int topics = 0, partitions = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--southbound" -> southbound = args[i + 1];
                case "--channels" -> channels = Integer.parseInt(args[i + 1]);
                case "--kafka" -> kafka = args[i + 1];
                case "--kafka-topics" -> topics = Integer.parseInt(args[i + 1]);
                case "--kafka-partitions" -> partitions = Integer.parseInt(args[i + 1]);
                default -> {
                    err.println("alcor bench " + SUBCOMMAND + ": unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (southbound == null || southbound.lastIndexOf(':') < 0) {
            err.println("alcor bench " + SUBCOMMAND + ": --southbound HOST:PORT is required (this command is started by 'alcor bench southbound --processes N')");
            return 2;
        }
        try {
            var mq = kafka == null ? null : org.alcor.southbound.mq.MqLayout.parse(kafka, topics, partitions);
            new AgentProcess(out).serve(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), southbound, channels, mq);
            return 0;
        } catch (IOException e) {
            err.println("alcor bench " + SUBCOMMAND + ": " + e);
            return 1;
        }
    }

    private void serve(BufferedReader in, String southbound, int channels, org.alcor.southbound.mq.MqLayout mq) throws IOException {
        ShareEvents events = AgentLines.writer(this::line);
        List<HostSpec> specs = new ArrayList<>();
        try {
            for (String l; (l = in.readLine()) != null; ) {
                String[] f = l.split(" ");
                switch (f[0]) {
                    case "host" -> specs.add(AgentLines.parseHost(f));
                    case "connect" -> {
                        share = new AgentShare(southbound, channels, specs, events, mq);
                        share.connect();
                    }
                    case "clock" -> line("clock " + System.nanoTime());
                    case "watch-ports" -> share().watchPorts();
                    case "watch-neighbor" -> share().watchNeighbor(f[1], f[2], f[3]);
                    case "totals" -> { for (HostTotals t : share().totals()) line(AgentLines.totals(t)); }
                    default -> {
                        events.failed("unknown command: " + l);
                        continue;
                    }
                }
                if (!f[0].equals("host")) line("ok " + f[0]);
            }
        } catch (RuntimeException e) {
            events.failed("agent process: " + e);
        } finally {
            // End of input: the bench is done or gone. Closing the streams tells the controller at once.
            if (share != null) share.close();
        }
    }

    private AgentShare share() {
        if (share == null) throw new IllegalStateException("connect first");
        return share;
    }

    /** One line to the bench, whole; lines come from several threads (the reporter and the agents' streams). */
    private synchronized void line(String s) {
        if (outBroken) return;
        try {
            out.write(s);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // The bench is gone: its end of the pipe closed. stdin ends too, which ends serve().
            outBroken = true;
        }
    }
}
