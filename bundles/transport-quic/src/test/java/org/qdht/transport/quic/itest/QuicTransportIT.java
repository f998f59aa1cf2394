package org.qdht.transport.quic.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.PeerAddress;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportStream;

/**
 * The QUIC transport bundle in a real Felix with the api, node and Kwik bundles, SCR, ConfigAdmin,
 * Metatype and the Log service. Nodes are made from factory configurations as an operator would;
 * each gets a {@code quic} transport on its listen port + 1, traffic between two nodes reaches
 * the handler services on the whiteboard, and deleting a node's configuration takes its transport,
 * its UDP port and its threads away.
 */
class QuicTransportIT {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String TRANSPORT_PID = "org.qdht.transport.quic";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    private final List<Configuration> configurations = new ArrayList<>();
    private final List<ServiceRegistration<?>> handlers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        handlers.forEach(ServiceRegistration::unregister);
        for (Configuration c : configurations) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it
            }
        }
        await("no quic transport left").atMost(TIMEOUT).until(() -> context.getServiceReferences(Transport.class,
                "(qdht.transport.scheme=quic)").isEmpty());
    }

    @Test
    void twoNodesGetQuicTransportsAndReachEachOthersHandlers() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        int listenA = freeListenPort();
        int listenB = freeListenPort();
        Configuration nodeA = node("quic-a", listenA);
        node("quic-b", listenB);
        Transport a = awaitTransport("quic-a");
        Transport b = awaitTransport("quic-b");

        PeerAddress addressOfB = PeerAddress.of("quic", "127.0.0.1:" + (listenB + 1));
        assertEquals(PeerAddress.of("quic", "127.0.0.1:" + (listenA + 1)), last(a.localAddresses()));
        assertEquals("quic", b.scheme());
        assertEquals(addressOfB, last(b.localAddresses()), "wildcard bind: loopback last, " + b.localAddresses());
        assertTrue(b.supportsStreams());
        await("node quic-b lists its quic address").atMost(TIMEOUT)
                .until(() -> awaitNode("quic-b").status().addresses().contains(addressOfB));

        CompletableFuture<String> datagramAtB = new CompletableFuture<>();
        ConcurrentLinkedQueue<String> datagramsAtA = new ConcurrentLinkedQueue<>();
        register(DatagramHandler.class, (t, from, d) -> datagramAtB.complete(from.scheme() + " " + new String(d, StandardCharsets.UTF_8)),
                "qdht.transport.scheme", "quic", "qdht.node.name", "quic-b");
        register(DatagramHandler.class, (t, from, d) -> datagramsAtA.add(new String(d, StandardCharsets.UTF_8)),
                "qdht.node.name", "quic-a");
        register(StreamHandler.class, (transport, stream) -> new Thread(() -> {
            try (stream) {
                String request = new String(stream.input().readAllBytes(), StandardCharsets.UTF_8);
                stream.output().write(("pong: " + request).getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                // the test sees the missing reply
            }
        }).start(), "qdht.node.name", "quic-b");

        a.send(addressOfB, "hello b".getBytes(StandardCharsets.UTF_8));
        assertEquals("quic hello b", datagramAtB.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

        TransportStream stream = a.openStream(addressOfB).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        stream.output().write("ping".getBytes(StandardCharsets.UTF_8));
        stream.output().close();
        assertEquals("pong: ping", new String(stream.input().readAllBytes(), StandardCharsets.UTF_8));
        stream.close();
        assertTrue(datagramsAtA.isEmpty(), "a handler of node quic-a does not see quic-b's datagrams: " + datagramsAtA);
        assertEquals(1, b.stats().datagramsIn());
        assertEquals(1, a.stats().datagramsOut());

        nodeA.delete();
        await("quic-a's transport is gone").atMost(TIMEOUT).until(() -> transportOrNull("quic-a") == null);
        assertUdpPortFree(listenA + 1);
        assertTrue(transportOrNull("quic-b") != null, "the other node keeps its transport");

        cleanUp();
        configurations.clear();
        handlers.clear();
        assertUdpPortFree(listenB + 1);
        await("no thread of the transports is left").pollInSameThread().atMost(TIMEOUT)
                .until(() -> newThreads(before), Set::isEmpty);
    }

    @Test
    void configurationChangeRestartsTheTransportsAndMovesThemToANewPortOffset() throws Exception {
        int listen = freeListenPort();
        node("quic-c", listen);
        await("quic-c on listenPort+1").atMost(TIMEOUT).until(() -> listensOn("quic-c", listen + 1));

        Configuration transportConfig = cm.getConfiguration(TRANSPORT_PID, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("idleTimeoutSeconds", 20);
        Long before = transportServiceId("quic-c");
        transportConfig.update(props);
        try {
            // every endpoint restarts with the new settings, on the port it had a moment ago
            await("quic-c restarted on listenPort+1").atMost(TIMEOUT).until(() -> {
                Long now = transportServiceId("quic-c");
                return now != null && !now.equals(before) && listensOn("quic-c", listen + 1);
            });
            props.put("portOffset", 3);
            transportConfig.update(props);
            await("quic-c moved to listenPort+3").atMost(TIMEOUT).until(() -> listensOn("quic-c", listen + 3));
            assertUdpPortFree(listen + 1);
        } finally {
            transportConfig.delete();
        }
        await("back on listenPort+1 without the configuration").atMost(TIMEOUT).until(() -> listensOn("quic-c", listen + 1));
    }

    @Test
    void theNodesSettingChoosesWhichNodesGetTheTransport() throws Exception {
        int listen = freeListenPort();
        node("quic-d", listen);
        await("quic-d served").atMost(TIMEOUT).until(() -> listensOn("quic-d", listen + 1));
        Configuration transportConfig = cm.getConfiguration(TRANSPORT_PID, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("nodes", new String[] {"some-other-node"});
        transportConfig.update(props);
        try {
            await("quic-d no longer served").atMost(TIMEOUT).until(() -> transportServiceId("quic-d") == null);
            assertUdpPortFree(listen + 1);
        } finally {
            transportConfig.delete();
        }
        await("served again without the configuration").atMost(TIMEOUT).until(() -> listensOn("quic-d", listen + 1));
    }

    @Test
    void metatypeDescribesTheTransportSettings(@InjectService MetaTypeService metaType) {
        Bundle transport = Arrays.stream(context.getBundles())
                .filter(bundle -> "org.qdht.transport.quic".equals(bundle.getSymbolicName())).findFirst().orElseThrow();
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(transport).getObjectClassDefinition(TRANSPORT_PID, null);
        Set<String> ids = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID).collect(Collectors.toSet());
        assertEquals(Set.of("nodes", "bindAddress", "portOffset", "maxConnections", "idleTimeoutSeconds", "keepAliveSeconds",
                "connectTimeoutSeconds"), ids);
    }

    // --- helpers -------------------------------------------------------------------------------

    private Configuration node(String name, int listenPort) throws Exception {
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", name);
        props.put("listenPort", listenPort);
        props.put("puzzleDifficulty", 0);
        c.update(props);
        configurations.add(c);
        return c;
    }

    private <T> void register(Class<T> type, T handler, Object... keyValues) {
        Hashtable<String, Object> props = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        handlers.add(context.registerService(type, handler, props));
    }

    private Long transportServiceId(String node) throws Exception {
        var refs = context.getServiceReferences(Transport.class, "(&(qdht.transport.scheme=quic)(qdht.node.name=" + node + "))");
        return refs.isEmpty() ? null : (Long) refs.iterator().next().getProperty("service.id");
    }

    private Transport awaitTransport(String node) {
        return await("quic transport of " + node).atMost(TIMEOUT).until(() -> transportOrNull(node), t -> t != null);
    }

    private Transport transportOrNull(String node) throws Exception {
        var refs = context.getServiceReferences(Transport.class, "(&(qdht.transport.scheme=quic)(qdht.node.name=" + node + "))");
        if (refs.isEmpty()) {
            return null;
        }
        ServiceReference<Transport> ref = refs.iterator().next();
        Transport t = context.getService(ref);
        context.ungetService(ref);
        return t;
    }

    private QdhtNode awaitNode(String name) throws Exception {
        ServiceReference<QdhtNode> ref = context.getServiceReferences(QdhtNode.class, "(qdht.node.name=" + name + ")")
                .iterator().next();
        QdhtNode node = context.getService(ref);
        context.ungetService(ref);
        return node;
    }

    private boolean listensOn(String node, int port) throws Exception {
        Transport t = transportOrNull(node);
        return t != null && t.localAddresses().contains(PeerAddress.of("quic", "127.0.0.1:" + port));
    }

    /** A listen port whose successor is a free UDP port (the QUIC port); nothing here binds the listen port itself. */
    private static int freeListenPort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort() - 1;
        }
    }

    /** The transport is unregistered before its endpoint stops, so the port comes free a moment later. */
    private static void assertUdpPortFree(int port) {
        await("UDP port " + port + " free again").atMost(TIMEOUT).until(() -> {
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("0.0.0.0", port))) {
                return again.getLocalPort() == port;
            } catch (java.net.BindException stillBound) {
                return false;
            }
        });
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
