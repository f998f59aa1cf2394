package org.qdht.transport.memory.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportStream;

/**
 * The in-memory transport bundle in a real Felix with SCR, ConfigAdmin, Metatype, Log and the node
 * bundle: nodes made from factory configurations get a mem Transport, exchange datagrams and
 * streams through handler services, and lose their transport with their configuration.
 */
class MemoryTransportIT {
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
        await("every mem transport gone").atMost(TIMEOUT)
                .until(() -> context.getServiceReferences(Transport.class, "(qdht.transport.scheme=mem)").isEmpty());
    }

    @Test
    void twoNodesExchangeADatagramAndAStream() throws Exception {
        node("mem-a");
        node("mem-b");
        Transport a = awaitTransport("mem-a");
        Transport b = awaitTransport("mem-b");
        assertEquals(List.of(PeerAddress.parse("mem://mem-a")), a.localAddresses());

        BlockingQueue<Object[]> atB = new LinkedBlockingQueue<>();
        register(DatagramHandler.class, (DatagramHandler) (t, from, data) -> atB.add(new Object[] {t, from, data}), "mem-b");
        a.send(PeerAddress.parse("mem://mem-b"), "hello b".getBytes(StandardCharsets.UTF_8));
        Object[] received = atB.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(received, "the datagram reached node mem-b's handler");
        assertSame(b, received[0]);
        assertEquals(PeerAddress.parse("mem://mem-a"), received[1]);
        assertArrayEquals("hello b".getBytes(StandardCharsets.UTF_8), (byte[]) received[2]);

        register(StreamHandler.class, (StreamHandler) (t, stream) -> new Thread(() -> echo(stream)).start(), "mem-b");
        try (TransportStream s = a.openStream(PeerAddress.parse("mem://mem-b")).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            s.output().write("ping".getBytes(StandardCharsets.UTF_8));
            s.output().close();
            assertEquals("ping", new String(s.input().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void deletingTheNodeConfigurationRemovesItsTransport() throws Exception {
        Configuration c = node("mem-c");
        node("mem-d");
        awaitTransport("mem-c");
        Transport d = awaitTransport("mem-d");
        c.delete();
        await("transport of mem-c gone").atMost(TIMEOUT).until(() -> transportReference("mem-c") == null);
        TransportException e = assertThrows(TransportException.class, () -> d.send(PeerAddress.parse("mem://mem-c"), new byte[1]));
        assertEquals(TransportException.Reason.UNREACHABLE, e.reason());
    }

    @Test
    void lossRateComesFromTheTransportConfiguration() throws Exception {
        Configuration memory = cm.getConfiguration(MemoryTransportComponent.PID, "?");
        created.add(memory);
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("lossRate", 1.0);
        settings.put("seed", 7L);
        memory.update(settings);
        awaitLog("loss 1.0, latency 0 ms, seed 7");
        node("mem-e");
        node("mem-f");
        Transport e = awaitTransport("mem-e");
        awaitTransport("mem-f");
        BlockingQueue<byte[]> atF = new LinkedBlockingQueue<>();
        register(DatagramHandler.class, (DatagramHandler) (t, from, data) -> atF.add(data), "mem-f");
        e.send(PeerAddress.parse("mem://mem-f"), new byte[1]);
        assertEquals(1L, e.stats().rejected().get("lost"));
        assertNull(atF.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void metatypeDescribesTheConfiguration(@InjectService MetaTypeService metaType) {
        var info = metaType.getMetaTypeInformation(FrameworkUtil.getBundle(MemoryTransportComponent.class));
        assertTrue(Arrays.asList(info.getPids()).contains("org.qdht.transport.memory"), Arrays.toString(info.getPids()));
        ObjectClassDefinition ocd = info.getObjectClassDefinition("org.qdht.transport.memory", null);
        Set<String> ids = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID).collect(Collectors.toSet());
        assertEquals(Set.of("lossRate", "latencyMillis", "seed", "maxDatagramSize", "streamBufferBytes"), ids);
        assertTrue(ocd.getDescription().contains("not a network"));
    }

    // --- helpers -------------------------------------------------------------------------------

    private Configuration node(String name) throws Exception {
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", name);
        props.put("puzzleDifficulty", 0);
        c.update(props);
        created.add(c);
        return c;
    }

    private Transport awaitTransport(String node) {
        return await("mem transport of " + node).atMost(TIMEOUT).until(() -> {
            ServiceReference<Transport> ref = transportReference(node);
            Transport t = ref == null ? null : context.getService(ref);
            if (t != null) {
                context.ungetService(ref);
            }
            return t;
        }, Objects::nonNull);
    }

    private ServiceReference<Transport> transportReference(String node) throws Exception {
        var refs = context.getServiceReferences(Transport.class, "(&(qdht.transport.scheme=mem)(qdht.node.name=" + node + "))");
        return refs.isEmpty() ? null : refs.iterator().next();
    }

    private <T> void register(Class<T> type, T handler, String node) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Transport.SCHEME_PROPERTY, "mem");
        props.put(Transport.NODE_PROPERTY, node);
        handlers.add(context.registerService(type, handler, props));
    }

    private static void echo(TransportStream stream) {
        try (stream) {
            stream.output().write(stream.input().readAllBytes());
        } catch (IOException e) {
            // the test sees the missing echo
        }
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
}
