package org.qdht.routing.kademlia.internal;

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
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.node.NodeMode;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.RecordStore;
import org.qdht.api.routing.Routing;

/**
 * The Kademlia routing provider: one {@link KademliaNode} for every node that has what routing
 * needs (an identity, a secure channel and a record store), registered as the node's
 * {@link Routing} and {@link Dht} and as its handler of {@link Protocols#DHT_RPC} messages. A node
 * whose identity changes (a suite switch gives a new NodeId) gets a new routing table, bootstrapped
 * from the peers of the old one. Stopping this bundle leaves every node gracefully (records are
 * handed over) and keeps the records in the node's store for the next routing provider.
 * Configured by PID {@code org.qdht.routing.kademlia}.
 */
@Component(service = {}, configurationPid = KademliaComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = KademliaConfiguration.class)
public final class KademliaComponent {
    static final String PID = "org.qdht.routing.kademlia";
    static final String ALGORITHM = "kademlia";

    private final NodeServices<QdhtNode> nodes = new NodeServices<>(this::reconcile);
    private final NodeServices<NodeIdentity> identities = new NodeServices<>(this::reconcile);
    private final NodeServices<SecureChannels> channels = new NodeServices<>(this::reconcile);
    private final NodeServices<RecordStore> stores = new NodeServices<>(this::reconcile);
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final java.util.Set<String> left = ConcurrentHashMap.newKeySet();

    private volatile SignatureVerifier verifier;
    private volatile BundleContext context;
    private volatile KademliaSettings settings;
    private volatile Logger log;
    private ScheduledThreadPoolExecutor timer;
    private ThreadPoolExecutor work;
    private ServiceRegistration<?> commands;

    private record Running(KademliaNode node, List<ServiceRegistration<?>> registrations) {
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
    void addNode(QdhtNode node, Map<String, Object> props) {
        nodes.add(node, props);
    }

    void removeNode(QdhtNode node, Map<String, Object> props) {
        nodes.remove(node, props);
    }

    void updatedNode(QdhtNode node, Map<String, Object> props) {
        reconcile(NodeServices.nodeName(props)); // a mode change restarts routing in the new mode
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
    void addStore(RecordStore s, Map<String, Object> props) {
        stores.add(s, props);
    }

    void removeStore(RecordStore s, Map<String, Object> props) {
        stores.remove(s, props);
    }

    @Activate
    void activate(BundleContext bundleContext, KademliaConfiguration config) {
        settings = KademliaSettings.of(config);
        timer = new ScheduledThreadPoolExecutor(1, threads("qdht-kademlia-timer"));
        timer.setRemoveOnCancelPolicy(true);
        // answering requests costs a signature check at most; two threads keep up with the channel
        work = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4_096), threads("qdht-kademlia-serve"));
        context = bundleContext;
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.command.scope", "qdht");
        p.put("osgi.command.function", KademliaCommands.FUNCTIONS);
        commands = bundleContext.registerService(KademliaCommands.class, new KademliaCommands(this), p);
        reconcileAll();
    }

    @Deactivate
    void deactivate() {
        context = null;
        if (commands != null) {
            commands.unregister();
        }
        // leave in parallel: each node hands its records over within the leave timeout
        List<Thread> leaving = new ArrayList<>();
        for (String name : new ArrayList<>(running.keySet())) {
            Thread t = new Thread(() -> stop(name, true), "qdht-kademlia-leave-" + name);
            t.start();
            leaving.add(t);
        }
        for (Thread t : leaving) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        work.shutdownNow();
    }

    Map<String, KademliaNode> running() {
        Map<String, KademliaNode> out = new TreeMap<>();
        running.forEach((k, v) -> out.put(k, v.node()));
        return out;
    }

    /**
     * Graceful leave of one node: hands its records to its neighbours and stops its routing; the
     * node itself keeps running without a DHT until {@link #rejoin} or a restart.
     */
    boolean leave(String name) {
        if (!running.containsKey(name)) {
            return false;
        }
        left.add(name);
        stop(name, true);
        return true;
    }

    /** Undoes {@link #leave}. */
    synchronized void rejoin(String name) {
        left.remove(name);
        reconcile(name);
    }

    Optional<KademliaNode> node(String name) {
        return Optional.ofNullable(running.get(name)).map(Running::node);
    }

    private void tick() {
        for (Running r : running.values()) {
            try {
                r.node().tick();
            } catch (RuntimeException e) {
                log.error("node {}: routing maintenance failed", r.node().name(), e);
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

    /** Starts, restarts or stops the routing of {@code name} to match the services present now. */
    private synchronized void reconcile(String name) {
        if (name == null) {
            return;
        }
        BundleContext bc = context;
        QdhtNode node = nodes.get(name);
        NodeIdentity identity = identities.get(name);
        SecureChannels channel = channels.get(name);
        RecordStore store = stores.get(name);
        SignatureVerifier v = verifier;
        boolean ready = bc != null && node != null && identity != null && channel != null && store != null && v != null
                && settings.serves(name) && !left.contains(name);
        Running current = running.get(name);
        if (current != null) {
            KademliaNode k = current.node();
            boolean same = ready && k.identity() == identity && k.store() == store && k.isServer() == isServer(node)
                    && k.self().equals(identity.nodeId());
            if (same) {
                return;
            }
            List<org.qdht.api.routing.PeerInfo> known = k.knownPeers();
            // a node that goes away takes its channel with it: there is nothing left to hand over with
            stop(name, false);
            if (ready) {
                start(bc, name, node, identity, channel, store, v).rejoinThrough(known);
            }
            return;
        }
        if (ready) {
            start(bc, name, node, identity, channel, store, v);
        }
    }

    private KademliaNode start(BundleContext bc, String name, QdhtNode node, NodeIdentity identity, SecureChannels channel,
            RecordStore store, SignatureVerifier v) {
        boolean server = isServer(node);
        KademliaNode k = new KademliaNode(name, node, identity, channel, store, v, server, settings, timer, work, log);
        List<ServiceRegistration<?>> regs = new ArrayList<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Routing.NODE_PROPERTY, name);
        props.put(Routing.ALGORITHM_PROPERTY, ALGORITHM);
        regs.add(bc.registerService(new String[] {Routing.class.getName(), Dht.class.getName()}, k, props));
        Hashtable<String, Object> handlerProps = new Hashtable<>();
        handlerProps.put(SessionMessageHandler.PROTOCOL_PROPERTY, Protocols.DHT_RPC);
        handlerProps.put(SessionMessageHandler.NODE_PROPERTY, name);
        regs.add(bc.registerService(SessionMessageHandler.class, (SessionMessageHandler) (session, protocol, message) ->
                k.onMessage(session, message), handlerProps));
        running.put(name, new Running(k, regs));
        log.info("node {}: Kademlia routing started as {} ({}), k={} alpha={} paths={}", name, identity.nodeId().toShortString(),
                server ? "server" : "client", settings.parameters().k(), settings.parameters().alpha(), settings.parameters().disjointPaths());
        k.bootstrap();
        return k;
    }

    private void stop(String name, boolean gracefully) {
        Running r = running.remove(name);
        if (r == null) {
            return;
        }
        if (gracefully) {
            r.node().leave();
        }
        for (ServiceRegistration<?> reg : r.registrations()) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        r.node().close();
    }

    private static boolean isServer(QdhtNode node) {
        return node.status().mode() == NodeMode.SERVER;
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
