package org.alcor.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NorthboundOptionsTest {

    @Test
    void repeatedUrlsKeepTheirOrder() throws Exception {
        NorthboundOptions o = NorthboundOptions.parse(new String[]{
                "--url", "http://127.0.0.1:9696", "--url", "http://127.0.0.1:19696/", "--project", "demo",
                "-n", "1000", "-c", "16", "--bulk", "100", "--cleanup"});
        assertEquals(List.of(URI.create("http://127.0.0.1:9696"), URI.create("http://127.0.0.1:19696/")), o.urls());
        assertEquals("demo", o.project());
        assertEquals(1000, o.n());
        assertEquals(16, o.concurrency());
        assertEquals(100, o.bulk());
        assertTrue(o.bulkEnabled());
        assertTrue(o.cleanup());
        assertEquals(100, o.warmupPorts());
    }

    @Test
    void defaults() throws Exception {
        NorthboundOptions o = NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:9696", "-n", "5000",
                "-c", "1"});
        assertNull(o.project());
        assertFalse(o.bulkEnabled());
        assertFalse(o.cleanup());
        assertEquals(200, o.warmupPorts());
        assertEquals(0, o.prefill());
        assertEquals(NorthboundOptions.DEFAULT_LIST_REPEATS, o.listRepeats());
    }

    @Test
    void prefillAndListRepeats() throws Exception {
        NorthboundOptions o = NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:9696", "-n", "10",
                "-c", "2", "--prefill", "1000000", "--list-repeats", "5"});
        assertEquals(1_000_000, o.prefill());
        assertEquals(5, o.listRepeats());
        assertThrows(UsageException.class, () -> NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:9696",
                "-n", "10", "-c", "2", "--prefill", "20000000"}));
    }

    @Test
    void missingNIsAnError() {
        UsageException e = assertThrows(UsageException.class,
                () -> NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:9696", "-c", "4"}));
        assertTrue(e.getMessage().contains("-n"), e.getMessage());
        assertFalse(e.isHelp());
    }

    @Test
    void otherBadArguments() {
        assertThrows(UsageException.class, () -> NorthboundOptions.parse(new String[]{"-n", "1", "-c", "1"}));
        assertThrows(UsageException.class,
                () -> NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:1", "-n", "0", "-c", "1"}));
        assertThrows(UsageException.class,
                () -> NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:1", "-n", "x", "-c", "1"}));
        assertThrows(UsageException.class,
                () -> NorthboundOptions.parse(new String[]{"--url", "ftp://127.0.0.1/", "-n", "1", "-c", "1"}));
        assertThrows(UsageException.class,
                () -> NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:1", "-n", "1", "-c"}));
        assertThrows(UsageException.class,
                () -> NorthboundOptions.parse(new String[]{"--url", "http://127.0.0.1:1", "-n", "1", "-c", "1",
                        "--bogus"}));
    }

    @Test
    void helpAndExitCodes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[]{"northbound", "--help"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: alcor bench northbound --url URL"));
        assertEquals(2, Main.run(new String[]{"northbound", "--url", "http://127.0.0.1:1", "--nope"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown argument '--nope'"));
        assertEquals(2, Main.run(new String[]{"southbound"}, o, e));
        assertEquals(2, Main.run(new String[0], o, e));
        assertEquals(0, Main.run(new String[]{"--help"}, o, e));
    }

    @Test
    void apiRootAcceptsCatalogStyleUrls() {
        assertEquals("http://h:9696", NeutronHttp.apiRoot("http://h:9696"));
        assertEquals("http://h:9696", NeutronHttp.apiRoot("http://h:9696/"));
        assertEquals("http://h:9696", NeutronHttp.apiRoot("http://h:9696/v2.0/"));
        assertEquals("http://h/networking", NeutronHttp.apiRoot("http://h/networking/"));
    }
}
