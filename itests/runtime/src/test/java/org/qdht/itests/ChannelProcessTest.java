package org.qdht.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.qdht.itests.RuntimeJarProcessTest.RunningRuntime;

/**
 * Nodes in separate processes, each the exported runtime jar with its own working directory,
 * talking over real loopback sockets through the secure channel, driven through their Gogo
 * shells. Every echo reply is checked byte for byte by {@code channel:ping}.
 */
public class ChannelProcessTest {
    private static final Pattern REPLIES = Pattern.compile("(\\d+)/(\\d+) replies, (\\d+) corrupted");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<RunningRuntime> runtimes = new ArrayList<>();

    @After
    public void stopAll() throws Exception {
        for (RunningRuntime r : runtimes) {
            r.kill();
        }
    }

    /** A runtime whose load/ holds one node on {@code port} (UDP; QUIC on port + 1) and the channel settings. */
    private RunningRuntime start(String name, int port, String suite) throws Exception {
        Path dir = folder.newFolder(name).toPath();
        Files.createDirectories(dir.resolve("load"));
        writeNode(dir, name, port, suite);
        Files.writeString(dir.resolve("load/org.qdht.channel.cfg"), "rekeyAfterMessages = 250\n");
        RunningRuntime r = RunningRuntime.start(dir);
        runtimes.add(r);
        r.awaitOutput("qdht:nodes", out -> out.contains(suite));
        r.awaitOutput("channel:stats", out -> out.contains(name + ":"));
        return r;
    }

    private void writeNode(Path dir, String name, int port, String suite) throws IOException {
        Files.writeString(dir.resolve("load/org.qdht.node-" + name + ".cfg"),
                "name = " + name + "\nlistenPort = " + port + "\nsuite = " + suite + "\n");
    }

    @Test
    public void threeProcessesTalkOverUdpAndQuicBothWaysWithLargeMessages() throws Exception {
        int a = freePortPair();
        int b = freePortPair();
        int g = freePortPair();
        RunningRuntime alpha = start("alpha", a, "xwing-mldsa65");
        RunningRuntime beta = start("beta", b, "xwing-mldsa65");
        RunningRuntime gamma = start("gamma", g, "xwing-mldsa65");

        assertAllReplied(alpha.command("channel:ping alpha udp://127.0.0.1:" + b + " 5 1024"), 5);
        assertAllReplied(beta.command("channel:ping beta udp://127.0.0.1:" + a + " 5 1024"), 5);
        // 64 KiB each way over UDP: fragmented into 55 packets by the transport
        assertAllReplied(alpha.command("channel:ping alpha udp://127.0.0.1:" + b + " 3 65536"), 3);
        // 1 MiB each way over QUIC: larger than a QUIC datagram, so each message takes a stream
        assertAllReplied(alpha.command("channel:ping alpha quic://127.0.0.1:" + (g + 1) + " 3 1048576"), 3);
        assertAllReplied(gamma.command("channel:ping gamma quic://127.0.0.1:" + (b + 1) + " 20 1024"), 20);

        String sessions = alpha.command("channel:sessions");
        assertTrue(sessions, sessions.contains("udp://127.0.0.1:" + b) && sessions.contains("quic://127.0.0.1:" + (g + 1)));
        String transports = alpha.command("channel:transports");
        assertTrue(transports, transports.matches("(?s).*alpha\\s+quic\\s+quic://127\\.0\\.0\\.1:" + (a + 1) + ".*")
                && transports.matches("(?s).*alpha\\s+udp\\s+udp://127\\.0\\.0\\.1:" + a + ".*"));
        String stats = beta.command("channel:stats");
        assertTrue("no packet was refused on the way:\n" + stats, !stats.contains("bad-mac") && !stats.contains("malformed"));
    }

    @Test
    public void aSuiteSwitchInTheMiddleOfAStreamOverUdpReKeysAndLosesNothing() throws Exception {
        switchSuiteMidStream("udp", 0);
    }

    @Test
    public void aSuiteSwitchInTheMiddleOfAStreamOverQuicReKeysAndLosesNothing() throws Exception {
        switchSuiteMidStream("quic", 1);
    }

    /**
     * 900 echoes, one every 10 ms; 1.5 s in, alpha's configuration switches to the conservative
     * suite (FileInstall polls every second, then a new SLH-DSA identity with its proof of work),
     * leaving several seconds of the stream to run under it even on a loaded machine.
     */
    private void switchSuiteMidStream(String scheme, int portOffset) throws Exception {
        int a = freePortPair();
        int b = freePortPair();
        RunningRuntime alpha = start("alpha", a, "xwing-mldsa65");
        start("beta", b, "xwing-mldsa65");
        String beta = scheme + "://127.0.0.1:" + (b + portOffset);
        assertAllReplied(alpha.command("channel:ping alpha " + beta + " 2 64"), 2);

        Thread switcher = new Thread(() -> {
            try {
                Thread.sleep(1_500);
                writeNode(folder.getRoot().toPath().resolve("alpha"), "alpha", a, "mlkem1024-slhdsa-sha2-128f");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        switcher.start();
        String stream = alpha.command("channel:ping alpha " + beta + " 900 512 10");
        switcher.join();
        assertAllReplied(stream, 900);
        assertTrue("the stream ran under both suites:\n" + stream,
                stream.contains("(xwing-mldsa65)") && stream.contains("(mlkem1024-slhdsa-sha2-128f)"));
        String sessions = alpha.command("channel:sessions");
        assertTrue(sessions, sessions.contains("mlkem1024-slhdsa-sha2-128f"));
        // re-keyed by the switch and every 250 messages (load/org.qdht.channel.cfg)
        Matcher rekeys = Pattern.compile(Pattern.quote(beta) + "\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+\\s+(\\d+)").matcher(sessions);
        assertTrue(sessions, rekeys.find() && Integer.parseInt(rekeys.group(1)) >= 2);
    }

    static void assertAllReplied(String output, int expected) {
        Matcher m = REPLIES.matcher(output);
        assertTrue("no summary in:\n" + output, m.find());
        assertTrue("every echo came back intact:\n" + output, Integer.parseInt(m.group(1)) == expected
                && Integer.parseInt(m.group(2)) == expected && Integer.parseInt(m.group(3)) == 0);
    }

    /** A port p such that p and p + 1 are free for UDP now (the UDP and QUIC transports). */
    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket first = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int p = first.getLocalPort();
                if (p >= 65_535) {
                    continue;
                }
                try (DatagramSocket second = new DatagramSocket(p + 1, InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free pair of UDP ports");
    }
}
