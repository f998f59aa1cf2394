package org.qdht.onion.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.qdht.support.services.NodeServices;
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
import org.qdht.api.anonymity.AnonymousDht;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.node.NodeMode;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.Routing;
import org.qdht.onion.core.PacketFormat;

/**
 * The onion provider: one {@link OnionNode} for every node that has what onion routing needs (an
 * identity whose suite is installed, a secure channel, a DHT and routing), registered as the
 * node's {@link AnonymousDht} and as its handler of {@link Protocols#ONION_RELAY} packets. Server
 * nodes relay; client-mode nodes (phones) only use circuits unless configured otherwise. A change
 * of identity, suite or mode restarts the node's onion routing with new keys. Configured by PID
 * {@code org.qdht.onion}.
 */
@Component(service = {}, configurationPid = OnionComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OnionConfiguration.class)
public final class OnionComponent {
    static final String PID = "org.qdht.onion";

    private final NodeServices<QdhtNode> nodes = new NodeServices<>(this::reconcile);
    private final NodeServices<NodeIdentity> identities = new NodeServices<>(this::reconcile);
    private final NodeServices<SecureChannels> channels = new NodeServices<>(this::reconcile);
    private final NodeServices<Dht> dhts = new NodeServices<>(this::reconcile);
    private final NodeServices<Routing> routings = new NodeServices<>(this::reconcile);
    private final Map<Integer, CryptoSuite> suites = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private volatile SignatureVerifier verifier;
    private volatile BundleContext context;
    private volatile OnionSettings settings;
    private volatile Logger log;
    private ScheduledThreadPoolExecutor timer;
    private ThreadPoolExecutor work;
    private ServiceRegistration<?> commands;

    private record Running(OnionNode node, List<ServiceRegistration<?>> registrations) {
    }

    @Reference(service = LoggerFactory.class)
    void setLogger(Logger logger) {
        this.log = logger;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setVerifier(SignatureVerifier v) {
        verifier = v;
        reconcileAll();
    }

    void unsetVerifier(SignatureVerifier v) {
        if (verifier == v) {
            verifier = null;
            reconcileAll();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSuite(CryptoSuite suite) {
        suites.put(suite.id().code(), suite);
        reconcileAll();
    }

    void removeSuite(CryptoSuite suite) {
        if (suites.remove(suite.id().code(), suite)) {
            reconcileAll();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNode(QdhtNode node, Map<String, Object> props) {
        nodes.add(node, props);
    }

    void removeNode(QdhtNode node, Map<String, Object> props) {
        nodes.remove(node, props);
    }

    void updatedNode(QdhtNode node, Map<String, Object> props) {
        reconcile(NodeServices.nodeName(props));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addIdentity(NodeIdentity identity, Map<String, Object> props) {
        identities.add(identity, props);
    }

    void removeIdentity(NodeIdentity identity, Map<String, Object> props) {
        identities.remove(identity, props);
    }

    void updatedIdentity(NodeIdentity identity, Map<String, Object> props) {
        reconcile(NodeServices.nodeName(props));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChannels(SecureChannels c, Map<String, Object> props) {
        channels.add(c, props);
    }

    void removeChannels(SecureChannels c, Map<String, Object> props) {
        channels.remove(c, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDht(Dht d, Map<String, Object> props) {
        dhts.add(d, props);
    }

    void removeDht(Dht d, Map<String, Object> props) {
        dhts.remove(d, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRouting(Routing r, Map<String, Object> props) {
        routings.add(r, props);
    }

    void removeRouting(Routing r, Map<String, Object> props) {
        routings.remove(r, props);
    }

    @Activate
    void activate(BundleContext bundleContext, OnionConfiguration config) {
        settings = OnionSettings.of(config);
        timer = new ScheduledThreadPoolExecutor(1, threads("qdht-onion-timer"));
        timer.setRemoveOnCancelPolicy(true);
        // one KEM decapsulation per packet: two threads, and a bounded queue that sheds load
        work = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1_024), threads("qdht-onion-work"));
        context = bundleContext;
        timer.scheduleWithFixedDelay(this::tick, 200, 1_000, TimeUnit.MILLISECONDS);
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.command.scope", "onion");
        p.put("osgi.command.function", OnionCommands.FUNCTIONS);
        commands = bundleContext.registerService(OnionCommands.class, new OnionCommands(this), p);
        reconcileAll();
    }

    @Deactivate
    void deactivate() {
        context = null;
        if (commands != null) {
            commands.unregister();
        }
        for (String name : new ArrayList<>(running.keySet())) {
            stop(name);
        }
        timer.shutdownNow();
        work.shutdownNow();
    }

    Map<String, OnionNode> running() {
        Map<String, OnionNode> out = new TreeMap<>();
        running.forEach((k, v) -> out.put(k, v.node()));
        return out;
    }

    Optional<OnionNode> node(String name) {
        return Optional.ofNullable(running.get(name)).map(Running::node);
    }

    private void tick() {
        long now = System.currentTimeMillis();
        for (Running r : running.values()) {
            try {
                r.node().tick(now);
            } catch (RuntimeException e) {
                log.error("node {}: onion maintenance failed", r.node().name(), e);
            }
        }
    }

    private void reconcileAll() {
        for (String name : nodes.nodes()) {
            reconcile(name);
        }
        for (String name : new ArrayList<>(running.keySet())) {
            reconcile(name);
        }
    }

    /** Starts, restarts or stops the onion routing of {@code name} to match the services present now. */
    private void reconcile(String name) {
        if (name == null) {
            return;
        }
        List<ServiceRegistration<?>> toUnregister = new ArrayList<>();
        Running started = null;
        synchronized (this) {
            BundleContext bc = context;
            QdhtNode node = nodes.get(name);
            NodeIdentity identity = identities.get(name);
            SecureChannels channel = channels.get(name);
            Dht dht = dhts.get(name);
            Routing routing = routings.get(name);
            SignatureVerifier v = verifier;
            CryptoSuite suite = identity == null ? null : suites.get(identity.suite().code());
            boolean ready = bc != null && node != null && identity != null && channel != null && dht != null && routing != null
                    && v != null && suite != null && settings.serves(name);
            Running current = running.get(name);
            if (current != null) {
                OnionNode o = current.node();
                boolean same = ready && o.identity() == identity && o.relay().isPresent() == relays(node)
                        && o.format().suite() == suite;
                if (same) {
                    return;
                }
                running.remove(name);
                toUnregister.addAll(current.registrations());
                current.node().close();
            }
            if (ready) {
                boolean relaying = relays(node);
                Optional<java.nio.file.Path> mailboxKey = Optional.ofNullable(bc.getDataFile("mailbox"))
                        .map(d -> d.toPath().resolve(name + "-" + suite.id().name() + ".key"));
                OnionNode o = new OnionNode(name, node, identity, PacketFormat.defaults(suite), channel, dht, routing, v, relaying,
                        settings, timer, work, mailboxKey, log);
                started = new Running(o, new java.util.concurrent.CopyOnWriteArrayList<>());
                running.put(name, started);
                log.info("node {}: onion routing started ({}), packets of {} bytes, {} hops", name, relaying ? "relay and client" : "client only",
                        o.format().packetSize(), settings.hops());
            }
        }
        // framework calls outside the lock: they call other components back
        for (ServiceRegistration<?> r : toUnregister) {
            unregister(r);
        }
        if (started != null) {
            register(name, started);
        }
    }

    private void register(String name, Running r) {
        BundleContext bc = context;
        if (bc == null) {
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(QdhtNode.NAME_PROPERTY, name);
        r.registrations().add(bc.registerService(AnonymousDht.class, r.node().client(), props));
        r.node().mailbox().ifPresent(m -> r.registrations().add(bc.registerService(org.qdht.api.anonymity.Mailbox.class, m, props)));
        Hashtable<String, Object> handler = new Hashtable<>();
        handler.put(SessionMessageHandler.PROTOCOL_PROPERTY, Protocols.ONION_RELAY);
        handler.put(SessionMessageHandler.NODE_PROPERTY, name);
        r.registrations().add(bc.registerService(SessionMessageHandler.class,
                (SessionMessageHandler) (session, protocol, message) -> r.node().onMessage(session, message), handler));
        if (running.get(name) != r) {
            r.registrations().forEach(OnionComponent::unregister); // stopped meanwhile
        }
    }

    private void stop(String name) {
        Running r = running.remove(name);
        if (r != null) {
            r.registrations().forEach(OnionComponent::unregister);
            r.node().close();
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping, or it was undone already
        }
    }

    private boolean relays(QdhtNode node) {
        return node.status().mode() == NodeMode.SERVER || settings.relayInClientMode();
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
