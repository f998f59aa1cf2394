package org.qdht.transport.udp.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.PeerAddress;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.Transport;

/**
 * The UDP transport bundle in a real Felix with SCR, ConfigAdmin, Metatype, Log and the node
 * bundle: nodes made from factory configurations get a udp Transport on their port, datagrams
 * reach DatagramHandler services, and transports follow their nodes' configurations.
 */
class UdpTransportIT {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    private final List<Configuration> created = new ArrayList<>();
    private final List<ServiceRegistration<?>> handlers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        handlers.forEach(ServiceRegistration::unregister);
        for (Configuration c : created) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
        }
        await("every udp transport gone").atMost(TIMEOUT)
                .until(() -> context.getServiceReferences(Transport.class, "(qdht.transport.scheme=udp)").isEmpty());
    }

    @Test
    void twoNodesGetTransportsOnTheirPortsAndExchangeADatagram() throws Exception {
        int portA = freePort();
        int portB = freePort();
        node("udp-a", portA);
        node("udp-b", portB);
        Transport a = awaitTransport("udp-a", portA);
        Transport b = awaitTransport("udp-b", portB);
        assertEquals("udp", a.scheme());
        PeerAddress addressA = PeerAddress.parse("udp://127.0.0.1:" + portA);
        PeerAddress addressB = PeerAddress.parse("udp://127.0.0.1:" + portB);
        assertEquals(addressA, a.localAddresses().get(a.localAddresses().size() - 1), "loopback listed last");

        BlockingQueue<Object[]> atB = handler("udp-b");
        BlockingQueue<Object[]> atA = handler("udp-a");
        a.send(addressB, "hello b".getBytes(StandardCharsets.UTF_8));
        Object[] received = atB.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(received, "datagram reached the handler of node udp-b");
        assertSame(b, received[0]);
        assertEquals(addressA, received[1]);
        assertArrayEquals("hello b".getBytes(StandardCharsets.UTF_8), (byte[]) received[2]);
        assertNull(atA.poll(200, TimeUnit.MILLISECONDS), "the handler of node udp-a is not called for udp-b's datagram");
        assertEquals(1, b.stats().datagramsIn());

        QdhtNode nodeA = context.getService(context.getServiceReferences(QdhtNode.class, "(qdht.node.name=udp-a)").iterator().next());
        await("node udp-a lists its udp address").atMost(TIMEOUT).until(() -> nodeA.status().addresses().contains(addressA));
    }

    @Test
    void deletingTheNodeConfigurationRemovesItsTransportAndFreesThePort() throws Exception {
        int port = freePort();
        Configuration c = node("udp-c", port);
        awaitTransport("udp-c", port);
        c.delete();
        await("transport of udp-c gone").atMost(TIMEOUT).until(() -> transportReference("udp-c") == null);
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("0.0.0.0", port))) {
            assertEquals(port, again.getLocalPort(), "the socket was closed");
        }
    }

    @Test
    void changingTheListenPortRebindsTheTransport() throws Exception {
        int first = freePort();
        Configuration c = node("udp-d", first);
        awaitTransport("udp-d", first);
        int second = freePort();
        Dictionary<String, Object> props = c.getProperties();
        props.put("listenPort", second);
        c.update(props);
        awaitTransport("udp-d", second);
        assertEquals(1, context.getServiceReferences(Transport.class, "(qdht.node.name=udp-d)").size());
    }

    @Test
    void portOffsetComesFromTheTransportConfiguration() throws Exception {
        int listenPort = freePort();
        int bound = freePort();
        Configuration udp = cm.getConfiguration(UdpTransportComponent.PID, "?");
        created.add(udp);
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("portOffset", bound - listenPort);
        settings.put("bindAddress", "127.0.0.1");
        udp.update(settings);
        node("udp-e", listenPort);
        Transport t = awaitTransport("udp-e", bound);
        assertEquals(List.of(PeerAddress.parse("udp://127.0.0.1:" + bound)), t.localAddresses());
    }

    @Test
    void bindFailureIsLoggedAndNoTransportIsRegistered() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("0.0.0.0", 0))) {
            node("udp-f", taken.getLocalPort());
            awaitLog("udp transport of node 'udp-f' cannot bind 0.0.0.0:" + taken.getLocalPort());
            assertNull(transportReference("udp-f"));
        }
    }

    @Test
    void theNodesSettingChoosesWhichNodesGetTheTransport() throws Exception {
        int port = freePort();
        node("udp-n", port);
        awaitTransport("udp-n", port);
        Configuration transport = cm.getConfiguration("org.qdht.transport.udp", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("nodes", new String[] {"some-other-node"});
        transport.update(props);
        try {
            await("udp-n no longer served").atMost(TIMEOUT).until(() -> transportReference("udp-n") == null);
        } finally {
            transport.delete();
        }
        awaitTransport("udp-n", port);
    }

    @Test
    void metatypeDescribesTheConfiguration(@InjectService MetaTypeService metaType) {
        var info = metaType.getMetaTypeInformation(FrameworkUtil.getBundle(UdpTransportComponent.class));
        assertTrue(Arrays.asList(info.getPids()).contains("org.qdht.transport.udp"), Arrays.toString(info.getPids()));
        ObjectClassDefinition ocd = info.getObjectClassDefinition("org.qdht.transport.udp", null);
        Set<String> ids = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID).collect(Collectors.toSet());
        assertEquals(Set.of("nodes", "bindAddress", "portOffset", "mtu", "maxMessageSize", "maxPartialMessagesPerPeer",
                "maxReassemblyBytes", "reassemblyTimeoutMillis", "receiveBufferBytes"), ids);
    }

    // --- helpers -------------------------------------------------------------------------------

    private Configuration node(String name, int listenPort) throws Exception {
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", name);
        props.put("listenPort", listenPort);
        props.put("puzzleDifficulty", 0);
        c.update(props);
        created.add(c);
        return c;
    }

    /** Waits for the udp transport of {@code node} bound to {@code port}. */
    private Transport awaitTransport(String node, int port) {
        PeerAddress loopback = PeerAddress.parse("udp://127.0.0.1:" + port);
        return await("udp transport of " + node + " on port " + port).atMost(TIMEOUT).until(() -> {
            ServiceReference<Transport> ref = transportReference(node);
            Transport t = ref == null ? null : context.getService(ref);
            if (t != null) {
                context.ungetService(ref);
            }
            return t != null && t.localAddresses().contains(loopback) ? t : null;
        }, Objects::nonNull);
    }

    private ServiceReference<Transport> transportReference(String node) throws Exception {
        var refs = context.getServiceReferences(Transport.class, "(&(qdht.transport.scheme=udp)(qdht.node.name=" + node + "))");
        return refs.isEmpty() ? null : refs.iterator().next();
    }

    /** Registers a DatagramHandler for udp datagrams of {@code node}; each call lands in the queue as (transport, from, data). */
    private BlockingQueue<Object[]> handler(String node) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DatagramHandler.SCHEME_PROPERTY, "udp");
        props.put(DatagramHandler.NODE_PROPERTY, node);
        DatagramHandler h = (transport, from, data) -> queue.add(new Object[] {transport, from, data});
        handlers.add(context.registerService(DatagramHandler.class, h, props));
        return queue;
    }

    private void awaitLog(String fragment) {
        ServiceReference<LogReaderService> ref = context.getServiceReference(LogReaderService.class);
        LogReaderService reader = context.getService(ref);
        try {
            await("log entry containing \"" + fragment + "\"").atMost(TIMEOUT).until(() -> Collections.list(reader.getLog())
                    .stream().map(LogEntry::getMessage).anyMatch(m -> m != null && m.contains(fragment)));
        } finally {
            context.ungetService(ref);
        }
    }

    private static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
