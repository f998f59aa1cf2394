package org.qdht.itests;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.qdht.itests.RuntimeJarProcessTest.RunningRuntime;

/**
 * Nodes in separate processes find each other: each is the exported runtime jar with its own
 * working directory and load/ folder, bootstrapped through the first process's UDP address, and a
 * value put in one process is found from another, also after the putting process is killed.
 */
public class KademliaProcessTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<RunningRuntime> runtimes = new ArrayList<>();

    @After
    public void stopAll() throws Exception {
        for (RunningRuntime r : runtimes) {
            r.kill();
        }
    }

    private RunningRuntime start(String name, int port, int bootstrapPort) throws Exception {
        Path dir = folder.newFolder(name).toPath();
        Files.createDirectories(dir.resolve("load"));
        Files.writeString(dir.resolve("load/org.qdht.node-" + name + ".cfg"), "name = " + name + "\nlistenPort = " + port + "\n");
        Files.writeString(dir.resolve("load/org.qdht.transport.udp.cfg"), "bindAddress = 127.0.0.1\n");
        Files.writeString(dir.resolve("load/org.qdht.transport.quic.cfg"), "bindAddress = 127.0.0.1\n");
        Files.writeString(dir.resolve("load/org.qdht.routing.kademlia.cfg"), "bootstrap = udp://127.0.0.1:" + bootstrapPort + "\n");
        RunningRuntime r = RunningRuntime.start(dir);
        runtimes.add(r);
        r.awaitOutput("qdht:dht", out -> out.contains(name + ": "));
        return r;
    }

    @Test
    public void threeProcessesJoinThroughOneAndFindEachOthersValues() throws Exception {
        int a = ChannelProcessTest.freePortPair();
        int b = ChannelProcessTest.freePortPair();
        int c = ChannelProcessTest.freePortPair();
        RunningRuntime first = start("first", a, a);
        RunningRuntime second = start("second", b, a);
        RunningRuntime third = start("third", c, a);
        for (RunningRuntime r : List.of(first, second, third)) {
            r.awaitOutput("qdht:dht", out -> out.matches("(?s).*joined, 2 peers.*"));
        }
        String put = second.awaitOutput("qdht:put second greeting hello-from-another-process", out -> out.contains("stored"));
        assertTrue(put, put.matches("(?s).*on [23] nodes.*"));
        String got = third.command("qdht:get third greeting");
        assertTrue(got, got.contains("hello-from-another-process") && got.contains("signature verified"));
        String peers = first.command("qdht:peers first");
        assertTrue(peers, peers.contains("udp://127.0.0.1:" + b) && peers.contains("udp://127.0.0.1:" + c));

        second.kill();
        String afterLoss = third.command("qdht:get third greeting");
        assertTrue("the value outlives the process that put it: " + afterLoss, afterLoss.contains("hello-from-another-process"));
    }
}
