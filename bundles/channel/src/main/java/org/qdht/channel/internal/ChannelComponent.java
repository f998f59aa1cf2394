package org.qdht.channel.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.qdht.api.NodeId;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;

/**
 * The secure-channel provider: one {@link NodeChannel} per node in the framework, registered as
 * that node's {@link SecureChannels} together with the datagram and stream handlers that feed it.
 * Tracks identities, suites, transports and message handlers as they come and go; a changed node
 * identity (a suite switch) re-keys the node's sessions. Configured by PID {@code org.qdht.channel}.
 */
@Component(service = {}, configurationPid = ChannelComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ChannelConfiguration.class)
public final class ChannelComponent {
    static final String PID = "org.qdht.channel";
    private static final long TICK_MILLIS = 200;

    private final Map<String, NodeEntry> nodes = new ConcurrentHashMap<>();
    private final Map<String, NodeIdentity> identities = new ConcurrentHashMap<>();
    private final List<CryptoSuite> suites = new CopyOnWriteArrayList<>();
    private final List<Ref<Transport>> transports = new CopyOnWriteArrayList<>();
    private final List<Ref<SessionMessageHandler>> handlers = new CopyOnWriteArrayList<>();

    private volatile SignatureVerifier verifier;
    private volatile BundleContext context;
    private volatile ChannelSettings settings;
    private volatile Logger log;
    private ScheduledExecutorService scheduler;
    private ThreadPoolExecutor handshakes;
    private ThreadPoolExecutor io;
    private ThreadPoolExecutor deliveries;
    private ServiceRegistration<?> commands;

    private record Ref<T>(T service, Map<String, Object> properties) {
    }

    /** A node's channel and its service registrations; a registration made after the stop is undone at once. */
    private static final class NodeEntry {
        final NodeChannel channel;
        private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
        private boolean stopped;

        NodeEntry(NodeChannel channel) {
            this.channel = channel;
        }

        void add(ServiceRegistration<?> registration) {
            synchronized (this) {
                if (!stopped) {
                    registrations.add(registration);
                    return;
                }
            }
            unregister(registration);
        }

        void unregisterAll() {
            List<ServiceRegistration<?>> toUnregister;
            synchronized (this) {
                stopped = true;
                toUnregister = new ArrayList<>(registrations);
                registrations.clear();
            }
            toUnregister.forEach(NodeEntry::unregister);
        }

        private static void unregister(ServiceRegistration<?> registration) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
    }

    @Reference(service = LoggerFactory.class)
    void setLogger(Logger logger) {
        this.log = logger;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSuite(CryptoSuite suite) {
        suites.add(suite);
    }

    void removeSuite(CryptoSuite suite) {
        suites.remove(suite);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setVerifier(SignatureVerifier v) {
        verifier = v;
    }

    void unsetVerifier(SignatureVerifier v) {
        if (verifier == v) {
            verifier = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTransport(Transport t, Map<String, Object> props) {
        transports.add(new Ref<>(t, props));
    }

    void removeTransport(Transport t) {
        transports.removeIf(r -> r.service() == t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(SessionMessageHandler h, Map<String, Object> props) {
        handlers.add(new Ref<>(h, props));
    }

    void removeHandler(SessionMessageHandler h) {
        handlers.removeIf(r -> r.service() == h);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addIdentity(NodeIdentity identity, Map<String, Object> props) {
        String node = (String) props.get(QdhtNode.NAME_PROPERTY);
        if (node == null) {
            return;
        }
        NodeIdentity before = identities.put(node, identity);
        NodeEntry entry = nodes.get(node);
        if (entry != null && before != null && !sameId(before, identity)) {
            log.info("node {}: identity changed to {} ({}); re-keying its sessions", node,
                    identity.nodeId().toHex().substring(0, 16), identity.suite().name());
            entry.channel.identityChanged();
        }
    }

    void removeIdentity(NodeIdentity identity, Map<String, Object> props) {
        identities.remove((String) props.get(QdhtNode.NAME_PROPERTY), identity);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNode(QdhtNode node, Map<String, Object> props) {
        String name = (String) props.get(QdhtNode.NAME_PROPERTY);
        if (context != null && name != null) {
            startNode(name);
        }
    }

    void removeNode(QdhtNode node, Map<String, Object> props) {
        String name = (String) props.get(QdhtNode.NAME_PROPERTY);
        if (name != null) {
            stopNode(name);
        }
    }

    void updatedNode(QdhtNode node, Map<String, Object> props) {
        // the name is what the channel needs and it is tracked by addNode/removeNode
    }

    @Activate
    void activate(BundleContext bundleContext, ChannelConfiguration config) {
        settings = ChannelSettings.of(config);
        scheduler = new ScheduledThreadPoolExecutor(1, threads("qdht-channel-timer"));
        handshakes = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(512), threads("qdht-channel-handshake"));
        // one writer per peer stream and one reader per inbound stream: threads scale with the peers on stream transports
        io = new ThreadPoolExecutor(0, 1024, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads("qdht-channel-io"));
        deliveries = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("qdht-channel-delivery"));
        context = bundleContext;
        for (var ref : bundleContextNodes(bundleContext)) {
            startNode((String) ref.getProperty(QdhtNode.NAME_PROPERTY));
        }
        scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.command.scope", "channel");
        p.put("osgi.command.function", ChannelCommands.FUNCTIONS);
        commands = bundleContext.registerService(ChannelCommands.class, new ChannelCommands(this), p);
        Hashtable<String, Object> echo = new Hashtable<>();
        echo.put(SessionMessageHandler.PROTOCOL_PROPERTY, org.qdht.api.channel.Protocols.ECHO);
        echo.put(Constants.SERVICE_RANKING, Integer.MIN_VALUE);
        nodesRegistrations.add(bundleContext.registerService(SessionMessageHandler.class, echoHandler, echo));
    }

    private final EchoHandler echoHandler = new EchoHandler();
    private final List<ServiceRegistration<?>> nodesRegistrations = new ArrayList<>();

    private static List<org.osgi.framework.ServiceReference<QdhtNode>> bundleContextNodes(BundleContext bc) {
        try {
            return new ArrayList<>(bc.getServiceReferences(QdhtNode.class, null));
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Deactivate
    void deactivate() {
        context = null;
        for (ServiceRegistration<?> r : nodesRegistrations) {
            r.unregister();
        }
        nodesRegistrations.clear();
        if (commands != null) {
            commands.unregister();
        }
        for (String name : new ArrayList<>(nodes.keySet())) {
            stopNode(name);
        }
        scheduler.shutdownNow();
        handshakes.shutdownNow();
        io.shutdownNow();
        deliveries.shutdownNow();
    }

    /**
     * Creates the node's channel and registers its services. The lock only guards the map: the
     * framework calls (registering, unregistering) run outside it, since they call other
     * components back, and a lock held across them can deadlock with SCR's own threads.
     */
    private void startNode(String name) {
        BundleContext bc = context;
        NodeEntry entry;
        synchronized (this) {
            if (bc == null || nodes.containsKey(name)) {
                return;
            }
            PeerBook book = new PeerBook(Optional.ofNullable(bc.getDataFile("peers")).map(d -> d.toPath().resolve(name + ".bin")));
            try {
                book.load();
            } catch (Exception e) {
                log.error("node {}: the peer book cannot be read ({}); starting without downgrade pins and keeping the file as {}.damaged",
                        name, e.getMessage(), name);
                moveAside(bc, name);
            }
            entry = new NodeEntry(new NodeChannel(name, this, settings, book));
            nodes.put(name, entry);
        }
        NodeChannel channel = entry.channel;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(SecureChannels.NODE_PROPERTY, name);
        entry.add(bc.registerService(DatagramHandler.class, (t, from, datagram) -> channel.onPacket(from, datagram), props));
        entry.add(bc.registerService(StreamHandler.class, (StreamHandler) (t, stream) -> {
            try {
                io.execute(() -> channel.readFrames(stream));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                channel.counterSet().add("overloaded");
                stream.close();
            }
        }, props));
        entry.add(bc.registerService(SecureChannels.class, channel, props));
        log.info("node {}: secure channel ready", name);
    }

    private static void moveAside(BundleContext bc, String name) {
        try {
            Path file = bc.getDataFile("peers").toPath().resolve(name + ".bin");
            java.nio.file.Files.move(file, file.resolveSibling(name + ".bin.damaged"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // reported by the caller already
        }
    }

    private void stopNode(String name) {
        NodeEntry entry;
        synchronized (this) {
            entry = nodes.remove(name);
        }
        if (entry == null) {
            return;
        }
        entry.unregisterAll();
        entry.channel.close();
        savePeerBook(entry.channel);
    }

    private void tick() {
        for (NodeEntry e : nodes.values()) {
            try {
                e.channel.tick();
            } catch (RuntimeException ex) {
                log.error("node {}: channel timer failed", e.channel.node(), ex);
            }
        }
    }

    // ---- what node channels ask for ------------------------------------------------------------

    Optional<NodeIdentity> identity(String node) {
        return Optional.ofNullable(identities.get(node));
    }

    List<CryptoSuite> suites() {
        return suites;
    }

    SignatureVerifier verifier() {
        return verifier;
    }

    Optional<Transport> transport(String node, String scheme) {
        for (Ref<Transport> r : transports) {
            if (node.equals(r.properties().get(Transport.NODE_PROPERTY)) && scheme.equals(r.service().scheme())) {
                return Optional.of(r.service());
            }
        }
        return Optional.empty();
    }

    /** Every transport with the name of the node it serves, sorted by node and scheme. */
    Map<String, List<Transport>> transportsByNode() {
        Map<String, List<Transport>> out = new java.util.TreeMap<>();
        for (Ref<Transport> r : transports) {
            out.computeIfAbsent(String.valueOf(r.properties().get(Transport.NODE_PROPERTY)), n -> new ArrayList<>()).add(r.service());
        }
        out.values().forEach(list -> list.sort(Comparator.comparing(Transport::scheme)));
        return out;
    }

    Optional<SessionMessageHandler> handler(String node, int protocol) {
        return handlers.stream()
                .filter(r -> matchesNode(r.properties(), node) && handlesProtocol(r.properties(), protocol))
                .sorted(Comparator.<Ref<SessionMessageHandler>>comparingInt(r -> ranking(r.properties())).reversed()
                        .thenComparingLong(r -> serviceId(r.properties())))
                .map(Ref::service).findFirst();
    }

    SerialQueue newDeliveryQueue() {
        return new SerialQueue(deliveries, 10_000);
    }

    ExecutorService handshakeExecutor() {
        return handshakes;
    }

    ExecutorService ioExecutor() {
        return io;
    }

    Logger log() {
        return log;
    }

    Map<String, NodeChannel> channels() {
        Map<String, NodeChannel> out = new java.util.TreeMap<>();
        nodes.forEach((k, v) -> out.put(k, v.channel));
        return out;
    }

    EchoHandler echo() {
        return echoHandler;
    }

    void savePeerBookLater(NodeChannel channel) {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            s.schedule(() -> savePeerBook(channel), 100, TimeUnit.MILLISECONDS);
        }
    }

    private void savePeerBook(NodeChannel channel) {
        try {
            channel.peerBook().save();
        } catch (IOException e) {
            log.error("node {}: cannot save the peer book: {}", channel.node(), e.getMessage());
        }
    }

    private static boolean sameId(NodeIdentity a, NodeIdentity b) {
        NodeId x = a.nodeId();
        return x.equals(b.nodeId());
    }

    private static boolean matchesNode(Map<String, Object> props, String node) {
        Object n = props.get(SessionMessageHandler.NODE_PROPERTY);
        return n == null || node.equals(n);
    }

    private static boolean handlesProtocol(Map<String, Object> props, int protocol) {
        Object p = props.get(SessionMessageHandler.PROTOCOL_PROPERTY);
        if (p instanceof Integer i) {
            return i == protocol;
        }
        if (p instanceof Integer[] list) {
            for (Integer i : list) {
                if (i != null && i == protocol) {
                    return true;
                }
            }
        }
        if (p instanceof int[] list) {
            for (int i : list) {
                if (i == protocol) {
                    return true;
                }
            }
        }
        if (p instanceof java.util.Collection<?> list) {
            return list.contains(protocol);
        }
        return false;
    }

    private static int ranking(Map<String, Object> props) {
        return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static long serviceId(Map<String, Object> props) {
        return props.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
