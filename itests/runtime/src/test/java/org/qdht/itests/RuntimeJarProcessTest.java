package org.qdht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The exported runtime jar started the way an operator starts it ({@code java -jar qdht-node.jar}
 * in a working directory with a {@code load/} folder), driven through its Gogo prompt on standard
 * input. Checks what the README promises: every bundle ACTIVE, the configured nodes listed, a
 * {@code .cfg} dropped into {@code load/} creates a node and deleting it removes the node, all
 * without a restart, and a restart finds the node's data again.
 */
public class RuntimeJarProcessTest {
    private static final long TIMEOUT_MS = 30_000;
    /** Exit code of the bnd launcher when the framework was stopped (by the shell's end or stop 0): a normal end. */
    static final int FRAMEWORK_STOPPED = 117;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path workDir;
    private RunningRuntime runtime;

    @Before
    public void prepareWorkingDirectory() throws IOException {
        workDir = folder.getRoot().toPath();
        Files.createDirectories(workDir.resolve("load"));
        Files.writeString(workDir.resolve("load/org.qdht.node-alpha.cfg"), "name = alpha\nmode = SERVER\n");
    }

    @After
    public void stopRuntime() throws Exception {
        if (runtime != null) {
            runtime.kill();
        }
    }

    @Test
    public void shellShowsActiveBundlesAndConfiguredNodes() throws Exception {
        runtime = RunningRuntime.start(workDir);
        // the prompt comes up while the other bundles are still starting: wait until they are done
        String lb = runtime.awaitOutput("lb", out -> bundleRows(out).size() >= 12
                && bundleRows(out).stream().allMatch(row -> row.contains("|Active")));
        List<String> bundleRows = bundleRows(lb);
        assertTrue("lb lists the framework and the bundles:\n" + lb, bundleRows.size() >= 12);
        for (String row : bundleRows) {
            assertTrue("every bundle is ACTIVE: " + row, row.contains("|Active"));
        }
        assertTrue(lb, lb.contains("org.qdht.node") || lb.contains("qDHT node core"));

        // with an identity, a transport and Kademlia routing the node has what it needs to run
        String nodes = runtime.awaitOutput("qdht:nodes", out -> out.contains("alpha") && out.contains("kademlia"));
        assertTrue(nodes, nodes.contains("RUNNING") && nodes.contains("1 node"));

        // onion routing runs in the jar: the server node relays with an onion key of this epoch
        String keys = runtime.awaitOutput("onion:keys alpha", out -> out.contains("epoch "));
        assertTrue(keys, keys.matches("(?s).*epoch \\d+ key [0-9a-f]{32}.*"));
    }

    @Test
    public void droppedConfigurationCreatesANodeAndDeletingItRemovesIt() throws Exception {
        runtime = RunningRuntime.start(workDir);
        runtime.awaitOutput("qdht:nodes", out -> out.contains("alpha"));

        Path gamma = workDir.resolve("load/org.qdht.node-gamma.cfg");
        Files.writeString(gamma, "name = gamma\nmode = CLIENT\n");
        String withGamma = runtime.awaitOutput("qdht:nodes", out -> out.contains("gamma"));
        assertTrue(withGamma, withGamma.contains("CLIENT") && withGamma.contains("2 nodes"));

        Files.delete(gamma);
        String withoutGamma = runtime.awaitOutput("qdht:nodes", out -> !out.contains("gamma"));
        assertTrue(withoutGamma, withoutGamma.contains("alpha") && withoutGamma.contains("1 node"));
    }

    @Test
    public void suiteBundleDroppedIntoLoadIsUsedLiveAndRemovedWithItsFile() throws Exception {
        runtime = RunningRuntime.start(workDir);
        String before = runtime.awaitOutput("crypto:suites", out -> out.contains("xwing-mldsa65"));
        assertFalse(before, before.contains("hqc128-x25519-mldsa65"));
        String nodes = runtime.awaitOutput("qdht:nodes", out -> out.contains("xwing-mldsa65"));
        assertTrue("the node has an identity under the default suite: " + nodes, nodes.matches("(?s).*alpha\\s+\\S+\\s+SERVER\\s+[0-9a-f]{16}\\s+xwing-mldsa65.*"));

        Path dropped = workDir.resolve("load").resolve("org.qdht.crypto.hqc.jar");
        Files.copy(Path.of(System.getProperty("qdht.extension.jar")), dropped);
        String with = runtime.awaitOutput("crypto:suites", out -> out.contains("hqc128-x25519-mldsa65"));
        assertTrue(with, with.contains("HQC-128+X25519") || with.contains("HQC"));
        String switched = runtime.awaitOutput("crypto:use hqc128-x25519-mldsa65 alpha", out -> out.contains("switch to"));
        assertTrue(switched, switched.contains("[alpha]"));
        // match the command's own line: log lines of other bundles can name the suite first
        String identity = runtime.awaitOutput("crypto:identity alpha", out -> out.contains("suite      hqc128-x25519-mldsa65"));
        assertTrue(identity, identity.contains("rotation") && identity.contains("signature verified"));

        Files.delete(dropped);
        runtime.awaitOutput("crypto:suites", out -> !out.contains("hqc128-x25519-mldsa65") && out.contains("xwing-mldsa65"));
        String fallback = runtime.awaitOutput("qdht:status alpha",
                out -> out.contains("running on fallback") && out.contains("suite      xwing-mldsa65"));
        assertTrue(fallback, fallback.contains("suite      xwing-mldsa65"));
    }

    @Test
    public void restartFindsTheNodeDataAgain() throws Exception {
        runtime = RunningRuntime.start(workDir);
        runtime.awaitOutput("qdht:nodes", out -> out.contains("alpha"));
        assertEquals("the shell's end stops the framework", FRAMEWORK_STOPPED, runtime.exit());

        runtime = RunningRuntime.start(workDir);
        runtime.awaitOutput("qdht:nodes", out -> out.contains("alpha"));
        Path state;
        try (Stream<Path> files = Files.walk(workDir.resolve("qdht-data"))) {
            state = files.filter(p -> p.endsWith(Path.of("nodes", "alpha", "node.properties"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no state file for alpha under qdht-data"));
        }
        assertTrue(Files.readString(state).contains("starts=2"));
        // as the README says; an extension's command named "stop" once shadowed it
        assertEquals("stop 0 at the prompt stops the framework", FRAMEWORK_STOPPED, runtime.exitWith("stop 0"));
    }

    private static List<String> bundleRows(String lbOutput) {
        return lbOutput.lines().filter(l -> l.matches("\\s*\\d+\\|.*")).collect(Collectors.toList());
    }

    /** The runtime jar as a child process with its console on pipes. */
    static final class RunningRuntime {
        private final Process process;
        private final StringBuffer output = new StringBuffer();
        private final OutputStream input;
        private int marker;

        private RunningRuntime(Process process) {
            this.process = process;
            this.input = process.getOutputStream();
            Thread reader = new Thread(() -> copy(process.getInputStream()), "runtime-output");
            reader.setDaemon(true);
            reader.start();
        }

        static RunningRuntime start(Path workDir) throws IOException {
            String jar = System.getProperty("qdht.runtime.jar");
            assertTrue("runtime jar missing at " + jar + ": build runtimes/node first", new File(jar).isFile());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-jar", jar).directory(workDir.toFile()).redirectErrorStream(true).start();
            return new RunningRuntime(p);
        }

        /** Runs one shell command and returns what it printed. */
        String command(String command) throws Exception {
            int id = ++marker;
            String end = "end-of-command-" + id;
            int from = output.length();
            input.write((command + "\necho " + end + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (System.currentTimeMillis() < deadline) {
                int at = output.indexOf(end + "\n", from);
                if (at < 0) {
                    at = output.indexOf(end + "\r\n", from);
                }
                if (at >= 0) {
                    return withoutLogLines(output.substring(from, at));
                }
                assertTrue("runtime exited:\n" + output, process.isAlive());
                Thread.sleep(50);
            }
            throw new AssertionError("no answer to '" + command + "' within " + TIMEOUT_MS + " ms:\n" + output);
        }

        /**
         * The command's own output: the console log of the bundles (lines with a time stamp and a
         * level) interleaves with it and may name what a test waits for before the command shows it.
         */
        static String withoutLogLines(String text) {
            return text.lines().filter(l -> !LOG_LINE.matcher(l).find()).collect(Collectors.joining("\n", "", "\n"));
        }

        private static final java.util.regex.Pattern LOG_LINE =
                java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR|AUDIT) ");

        /** Repeats {@code command} until its output satisfies {@code condition}. */
        String awaitOutput(String command, java.util.function.Predicate<String> condition) throws Exception {
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            String last = "";
            while (System.currentTimeMillis() < deadline) {
                last = command(command);
                if (condition.test(last)) {
                    return last;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("'" + command + "' never printed what was expected; last output:\n" + last);
        }

        /** Closes the shell's input, which ends the shell and stops the framework, and returns the exit code. */
        int exit() throws Exception {
            input.close();
            assertTrue("runtime did not stop after its shell ended:\n" + output, process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertFalse(output.toString(), output.toString().contains("Exception in thread"));
            return process.exitValue();
        }

        /** Types {@code command} at the prompt and returns the exit code once the runtime ended. */
        int exitWith(String command) throws Exception {
            input.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
            assertTrue("runtime did not stop after '" + command + "':\n" + output, process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            return process.exitValue();
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }

        private void copy(InputStream in) {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                output.append("[output closed: ").append(e.getMessage()).append("]");
            }
        }
    }
}
