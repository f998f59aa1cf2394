package org.qdht.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.node.NodeMode;
import org.qdht.api.node.NodeState;
import org.qdht.api.node.NodeStatus;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.DhtKey;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.RecordStore;

/**
 * The node bundle in a real Felix with SCR, ConfigAdmin, Metatype and the Log service: nodes come
 * and go with their factory configurations, changes apply live, and bad settings are refused with
 * an error in the log.
 */
class NodeIT {
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(5);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    private final List<Configuration> created = new java.util.ArrayList<>();

    @AfterEach
    void deleteConfigurations() throws Exception {
        for (Configuration c : created) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
        }
        for (String name : List.of("alpha", "beta", "gamma", "delta", "renamed", "twin", "shell-made", "epsilon", "zeta", "eta")) {
            awaitGone(name);
        }
    }

    @Test
    void nodeComesUpFromAFactoryConfigurationAndSaysWhatItLacks() throws Exception {
        configure("alpha", "mode", "SERVER");
        QdhtNode node = awaitNode("alpha");
        NodeStatus s = node.status();
        assertEquals("alpha", s.name());
        assertEquals(NodeMode.SERVER, s.mode());
        assertEquals(NodeState.STARTING, s.state(), "no suite, routing or transport: the node is not running yet");
        assertTrue(s.nodeId().isEmpty(), "no suite means no identity, so no NodeId");
        assertTrue(s.activeSuite().isEmpty());
        assertTrue(s.routing().isEmpty());
        assertTrue(s.problems().stream().anyMatch(p -> p.startsWith("no crypto suite")), s.problems().toString());
        assertTrue(s.problems().stream().anyMatch(p -> p.startsWith("no routing")), s.problems().toString());
        Path data = Path.of(s.dataDirectory());
        assertTrue(data.startsWith(bundleDataArea()), "data lives in the node bundle's data area: " + data);
        assertTrue(Files.isRegularFile(data.resolve(DataArea.STATE_FILE)));
        // INFO entries reach the log (and the console): the console log lowered the root level
        awaitLog("node 'alpha' started");
    }

    @Test
    void twoConfigurationsMakeTwoNodesWithTheirOwnData() throws Exception {
        configure("alpha");
        configure("beta", "mode", "CLIENT");
        QdhtNode alpha = awaitNode("alpha");
        QdhtNode beta = awaitNode("beta");
        assertNotEquals(alpha.status().dataDirectory(), beta.status().dataDirectory());
        assertEquals(NodeMode.CLIENT, beta.status().mode());
        assertEquals("CLIENT", context.getServiceReferences(QdhtNode.class, "(qdht.node.name=beta)").iterator().next()
                .getProperty(QdhtNode.MODE_PROPERTY));
    }

    @Test
    void configurationChangeIsAppliedToTheRunningNode() throws Exception {
        Configuration c = configure("gamma");
        QdhtNode before = awaitNode("gamma");
        ServiceReference<QdhtNode> ref = reference("gamma");
        long serviceId = (Long) ref.getProperty("service.id");
        Dictionary<String, Object> props = c.getProperties();
        props.put("mode", "CLIENT");
        props.put("bootstrapPeers", new String[] {"udp://127.0.0.1:4100"});
        c.update(props);
        awaitTrue(() -> before.status().mode() == NodeMode.CLIENT, "mode change applied");
        ServiceReference<QdhtNode> after = reference("gamma");
        assertEquals(serviceId, after.getProperty("service.id"), "same node service, not a restart");
        assertEquals("CLIENT", after.getProperty(QdhtNode.MODE_PROPERTY));
        assertSame(before, context.getService(after));
        context.ungetService(after);
    }

    @Test
    void renameMovesTheDataDirectory() throws Exception {
        Configuration c = configure("delta");
        Path oldData = Path.of(awaitNode("delta").status().dataDirectory());
        Files.writeString(oldData.resolve("records.bin"), "stored records");
        Dictionary<String, Object> props = c.getProperties();
        props.put("name", "renamed");
        c.update(props);
        QdhtNode renamed = awaitNode("renamed");
        Path newData = Path.of(renamed.status().dataDirectory());
        assertEquals("stored records", Files.readString(newData.resolve("records.bin")));
        assertFalse(Files.exists(oldData));
        awaitGone("delta");
    }

    @Test
    void deletingTheConfigurationStopsTheNodeAndKeepsItsData() throws Exception {
        Configuration c = configure("alpha");
        Path data = Path.of(awaitNode("alpha").status().dataDirectory());
        c.delete();
        awaitGone("alpha");
        assertTrue(Files.isDirectory(data), "data survives the removal of the node");
        assertTrue(Files.readString(data.resolve(DataArea.STATE_FILE)).contains("starts="));

        configure("alpha");
        awaitNode("alpha");
        String state = Files.readString(data.resolve(DataArea.STATE_FILE));
        assertTrue(state.lines().anyMatch(l -> l.matches("starts=[2-9][0-9]*")), "the re-created node found its state: " + state);
    }

    @Test
    void invalidConfigurationIsRefusedWithAnErrorNamingTheSetting() throws Exception {
        configure("alpha", "mode", "relay");
        awaitLog("node setting 'mode'");
        assertNull(referenceOrNull("alpha"), "no node from a configuration with a bad mode");
    }

    @Test
    void secondNodeWithTheSameNameIsRefused() throws Exception {
        configure("twin");
        QdhtNode first = awaitNode("twin");
        configure("twin", "mode", "CLIENT");
        awaitLog("a node named 'twin' already runs");
        assertEquals(1, context.getServiceReferences(QdhtNode.class, "(qdht.node.name=twin)").size());
        assertEquals(NodeMode.SERVER, first.status().mode());
    }

    @Test
    void metatypeDescribesTheNodeFactory(@InjectService MetaTypeService metaType) {
        Bundle nodeBundle = FrameworkUtil.getBundle(NodeComponent.class);
        String[] factoryPids = metaType.getMetaTypeInformation(nodeBundle).getFactoryPids();
        assertTrue(Arrays.asList(factoryPids).contains(QdhtNode.FACTORY_PID), Arrays.toString(factoryPids));
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(nodeBundle).getObjectClassDefinition(QdhtNode.FACTORY_PID, null);
        Set<String> ids = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID).collect(Collectors.toSet());
        assertEquals(Set.of("name", "mode", "listenPort", "bootstrapPeers", "suite", "fallbackSuites", "puzzleDifficulty",
                "identityPassphrase", "maxRecords", "maxRecordBytes", "maxRecordsPerPublisher"), ids);
    }

    @Test
    void shellCommandsListCreateAndRemoveNodes(@InjectService NodeCommands commands) throws Exception {
        configure("alpha");
        awaitNode("alpha");
        String table = commands.nodes();
        assertTrue(table.contains("alpha") && table.contains("STARTING") && table.contains("none"), table);
        assertTrue(commands.status("alpha").contains("no crypto suite"), commands.status("alpha"));
        assertTrue(commands.status("nobody").startsWith("no node named 'nobody'"));

        assertTrue(commands.create("shell-made", "client").contains("configured"));
        QdhtNode made = awaitNode("shell-made");
        assertEquals(NodeMode.CLIENT, made.status().mode());
        assertTrue(commands.create("shell-made").contains("already configured"));
        assertTrue(commands.create("Bad Name").contains("not a valid node name"));
        assertTrue(commands.remove("shell-made").contains("removed"));
        awaitGone("shell-made");
        assertTrue(commands.remove("shell-made").startsWith("no configuration"));
    }

    @Test
    void eachNodeHasARecordStoreThatFollowsItsRenameAndLimits(@InjectService NodeCommands commands) throws Exception {
        Configuration c = configure("epsilon", "maxRecords", "5");
        configure("eta");
        awaitNode("epsilon");
        awaitNode("eta");
        RecordStore epsilon = awaitStore("epsilon");
        RecordStore eta = awaitStore("eta");
        assertNotSame(epsilon, eta, "one store per node");
        assertEquals(5, epsilon.limits().maxRecords());
        assertEquals(10_000, eta.limits().maxRecords());

        TestRecords.Publisher publisher = TestRecords.Publisher.random();
        DhtKey key = DhtKey.ofName("greeting");
        PublishedRecord record = publisher.published(key, 1, System.currentTimeMillis() + 3_600_000, "hello".getBytes());
        epsilon.store(record);
        assertTrue(eta.find(key).isEmpty());
        String listing = commands.records("epsilon");
        assertTrue(listing.contains(key.toHex().substring(0, 16)) && listing.contains(publisher.id().toShortString())
                && listing.contains("5 B") && listing.contains("1 record"), listing);
        assertTrue(commands.status("epsilon").contains("1 held (maxRecords=5"), commands.status("epsilon"));
        assertTrue(commands.records("eta").contains("holds no records"), commands.records("eta"));
        assertTrue(commands.records("nobody").startsWith("no node named"), commands.records("nobody"));

        Dictionary<String, Object> props = c.getProperties();
        props.put("maxRecords", "7");
        c.update(props);
        awaitTrue(() -> epsilon.limits().maxRecords() == 7, "new limit applied to the same store");

        props.put("name", "zeta");
        c.update(props);
        RecordStore renamed = awaitStore("zeta");
        awaitTrue(() -> storeOrNull("epsilon") == null, "the store under the old name is withdrawn");
        assertEquals(record, renamed.findPublished(key).orElseThrow(), "the records moved with the data directory");
        assertEquals(7, renamed.limits().maxRecords());
        assertThrows(IllegalStateException.class, () -> epsilon.find(key), "the old store is closed");
    }

    // --- helpers -------------------------------------------------------------------------------

    private RecordStore awaitStore(String name) {
        ServiceReference<RecordStore> ref = await("record store of '" + name + "'").atMost(TIMEOUT)
                .until(() -> storeOrNull(name), java.util.Objects::nonNull);
        RecordStore store = context.getService(ref);
        context.ungetService(ref);
        assertNotNull(store);
        return store;
    }

    private ServiceReference<RecordStore> storeOrNull(String name) throws Exception {
        var refs = context.getServiceReferences(RecordStore.class, "(" + RecordStore.NODE_PROPERTY + "=" + name + ")");
        return refs.isEmpty() ? null : refs.iterator().next();
    }

    private Configuration configure(String name, String... keyValues) throws Exception {
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", name);
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        c.update(props);
        created.add(c);
        return c;
    }

    private QdhtNode awaitNode(String name) throws Exception {
        ServiceReference<QdhtNode> ref = await("node '" + name + "' up").atMost(TIMEOUT)
                .until(() -> referenceOrNull(name), java.util.Objects::nonNull);
        QdhtNode node = context.getService(ref);
        context.ungetService(ref);
        assertNotNull(node);
        return node;
    }

    private void awaitGone(String name) throws Exception {
        awaitTrue(() -> referenceOrNull(name) == null, "node '" + name + "' gone");
    }

    private ServiceReference<QdhtNode> reference(String name) throws Exception {
        ServiceReference<QdhtNode> ref = referenceOrNull(name);
        assertNotNull(ref, "node '" + name + "' is registered");
        return ref;
    }

    private ServiceReference<QdhtNode> referenceOrNull(String name) throws Exception {
        var refs = context.getServiceReferences(QdhtNode.class, "(" + QdhtNode.NAME_PROPERTY + "=" + name + ")");
        return refs.isEmpty() ? null : refs.iterator().next();
    }

    private void awaitLog(String fragment) throws Exception {
        ServiceReference<LogReaderService> ref = context.getServiceReference(LogReaderService.class);
        LogReaderService reader = context.getService(ref);
        try {
            awaitTrue(() -> Collections.list(reader.getLog()).stream().map(LogEntry::getMessage)
                    .anyMatch(m -> m != null && m.contains(fragment)), "log entry containing \"" + fragment + "\"");
        } finally {
            context.ungetService(ref);
        }
    }

    private Path bundleDataArea() {
        return FrameworkUtil.getBundle(NodeComponent.class).getDataFile("").toPath();
    }

    static void awaitTrue(java.util.concurrent.Callable<Boolean> check, String what) {
        await(what).atMost(TIMEOUT).until(check);
    }
}
