package org.qdht.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.qdht.api.node.QdhtNode;

/**
 * The qDHT bundles assembled in a real Felix by Pax Exam (native container), with the same
 * framework services as the node runtime: the shell commands work, and the node bundle can be
 * stopped, started and updated in the running framework without losing its nodes or their data.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class NodeRuntimePaxExamTest {
    private static final long TIMEOUT_MS = 10_000;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin cm;

    @Inject
    CommandProcessor shell;

    @Configuration
    public Option[] config() {
        String version = System.getProperty("qdht.version", "0.1.0-SNAPSHOT");
        return options(
                cleanCaches(),
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0"),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", "2.2.18"),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype", "1.2.4"),
                mavenBundle("org.apache.felix", "org.apache.felix.log", "1.3.0"),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", "1.1.6"),
                // the bundles of this build, from the reactor's target folders, never a stale copy
                bundle(reactorJar("bundles/api/target/org.qdht.api-" + version + ".jar")),
                bundle(reactorJar("bundles/node/target/org.qdht.node-" + version + ".jar")),
                junitBundles());
    }

    private static String reactorJar(String relative) {
        File root = new File(System.getProperty("user.dir")).getParentFile().getParentFile();
        return new File(root, relative).toURI().toString();
    }

    @After
    public void removeNodes() throws Exception {
        org.osgi.service.cm.Configuration[] all = cm.listConfigurations("(service.factoryPid=" + QdhtNode.FACTORY_PID + ")");
        if (all != null) {
            for (org.osgi.service.cm.Configuration c : all) {
                c.delete();
            }
        }
    }

    @Test
    public void shellListsTheConfiguredNodes() throws Exception {
        configure("alpha");
        configure("beta");
        awaitNode("alpha");
        awaitNode("beta");
        String out = run("qdht:nodes");
        assertTrue(out, out.contains("alpha") && out.contains("beta") && out.contains("2 nodes"));
        String status = run("qdht:status alpha");
        assertTrue(status, status.contains("suite      none") && status.contains("no crypto suite installed"));
    }

    @Test
    public void nodeBundleRestartKeepsNodesAndData() throws Exception {
        configure("alpha");
        Path data = Path.of(awaitNode("alpha").status().dataDirectory());
        Files.writeString(data.resolve("records.bin"), "kept");
        Bundle nodeBundle = nodeBundle();

        nodeBundle.stop();
        awaitGone("alpha");
        nodeBundle.start();
        QdhtNode back = awaitNode("alpha");

        assertEquals(data.toString(), back.status().dataDirectory());
        assertEquals("kept", Files.readString(data.resolve("records.bin")));
        assertTrue(Files.readString(data.resolve("node.properties")).contains("starts=2"));
    }

    @Test
    public void nodeBundleUpdateInPlaceBringsNodesBack() throws Exception {
        configure("alpha");
        QdhtNode before = awaitNode("alpha");
        Bundle nodeBundle = nodeBundle();
        long bundleId = nodeBundle.getBundleId();

        nodeBundle.update();
        QdhtNode after = awaitNode("alpha");

        assertEquals(bundleId, nodeBundle().getBundleId());
        assertFalse("a new component instance from the updated bundle", before == after);
        assertEquals(Bundle.ACTIVE, nodeBundle().getState());
    }

    // --- helpers -------------------------------------------------------------------------------

    private void configure(String name) throws Exception {
        org.osgi.service.cm.Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", name);
        c.update(props);
    }

    private Bundle nodeBundle() {
        for (Bundle b : context.getBundles()) {
            if ("org.qdht.node".equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("org.qdht.node is not installed");
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            CommandSession session = shell.createSession(System.in, out, out);
            Object result = session.execute(command);
            assertNotNull(command + " returned nothing", result);
            session.close();
            return String.valueOf(result);
        }
    }

    private QdhtNode awaitNode(String name) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            var refs = context.getServiceReferences(QdhtNode.class, "(qdht.node.name=" + name + ")");
            if (!refs.isEmpty()) {
                ServiceReference<QdhtNode> ref = refs.iterator().next();
                QdhtNode node = context.getService(ref);
                context.ungetService(ref);
                if (node != null) {
                    return node;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("node " + name + " did not come up");
    }

    private void awaitGone(String name) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (context.getServiceReferences(QdhtNode.class, "(qdht.node.name=" + name + ")").isEmpty()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("node " + name + " did not go away");
    }
}
