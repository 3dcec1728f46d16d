package org.alcor.bench.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AgentProcessTest {
    @Test
    void theChildAnswersCommandsAndExitsWhenItsInputEnds() throws Exception {
        var toChild = new PipedOutputStream();
        var childIn = new PipedInputStream(toChild);
        var fromChild = new PipedInputStream();
        var childOut = new PipedOutputStream(fromChild);
        var err = new ByteArrayOutputStream();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> AgentProcess.run(
                new String[] {"--southbound", "127.0.0.1:1", "--channels", "1"}, childIn, childOut, new PrintStream(err)));
        Writer commands = new OutputStreamWriter(toChild, StandardCharsets.UTF_8);
        BufferedReader replies = new BufferedReader(new InputStreamReader(fromChild, StandardCharsets.UTF_8));

        long before = System.nanoTime();
        commands.write("clock\n");
        commands.flush();
        String clock = replies.readLine();
        long theirs = Long.parseLong(clock.split(" ")[1]);
        assertTrue(theirs >= before && theirs <= System.nanoTime(), clock);
        assertEquals("ok clock", replies.readLine());

        commands.close();   // what the kernel does when the bench dies
        assertEquals(0, exit.get(10, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
    }
}
