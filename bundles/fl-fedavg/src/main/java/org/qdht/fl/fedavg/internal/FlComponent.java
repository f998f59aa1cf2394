package org.qdht.fl.fedavg.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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
import java.util.concurrent.ExecutorService;

import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.learning.FederatedLearning;
import org.qdht.api.learning.LocalTrainer;
import org.qdht.api.routing.Routing;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.learning.ModelRegistry;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.Dht;

/**
 * The federated learning provider: for every node with an identity, a DHT, routing and a secure
 * channel, a {@link ModelRegistry} kept in the DHT ({@link DhtModelRegistry}) and
 * {@link FederatedLearning} runs as a master ({@link TrainingRuns}), registered with the node's
 * name, its part as a client in other masters' rounds through the {@link LocalTrainer}s registered
 * for it, and the {@code fl:} commands. Configured by PID {@code org.qdht.fl.fedavg}.
 */
@Component(service = {}, configurationPid = FlComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FlConfiguration.class)
public final class FlComponent {
    static final String PID = "org.qdht.fl.fedavg";

    private final NodeServices<NodeIdentity> identities = new NodeServices<>(this::reconcile);
    private final NodeServices<Dht> dhts = new NodeServices<>(this::reconcile);
    private final NodeServices<SecureChannels> channels = new NodeServices<>(this::reconcile);
    private final NodeServices<Routing> routings = new NodeServices<>(this::reconcile);
    /** Trainers by node, then by model type; the newest registration of a type wins. */
    private final Map<String, Map<String, LocalTrainer>> trainers = new ConcurrentHashMap<>();
    private ExecutorService work;
    private final Map<Integer, CryptoSuite> suites = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile SignatureVerifier verifier;
    private volatile BundleContext context;
    private volatile FlSettings settings;
    private volatile Logger log;
    private ServiceRegistration<?> commands;

    private record Running(FlNode node, List<ServiceRegistration<?>> registrations) {
        DhtModelRegistry registry() {
            return node.registry();
        }
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
    void addDht(Dht d, Map<String, Object> props) {
        dhts.add(d, props);
    }

    void removeDht(Dht d, Map<String, Object> props) {
        dhts.remove(d, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSuite(CryptoSuite suite) {
        suites.put(suite.id().code(), suite);
    }

    void removeSuite(CryptoSuite suite) {
        suites.remove(suite.id().code(), suite);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChannels(SecureChannels c, Map<String, Object> props) {
        channels.add(c, props);
    }

    void removeChannels(SecureChannels c, Map<String, Object> props) {
        channels.remove(c, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRouting(Routing r, Map<String, Object> props) {
        routings.add(r, props);
    }

    void removeRouting(Routing r, Map<String, Object> props) {
        routings.remove(r, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTrainer(LocalTrainer t, Map<String, Object> props) {
        Object node = props.get(LocalTrainer.NODE_PROPERTY);
        Object type = props.get(LocalTrainer.MODEL_TYPE_PROPERTY);
        if (node instanceof String n && type instanceof String ty) {
            trainers.computeIfAbsent(n, k -> new ConcurrentHashMap<>()).put(ty, t);
        }
    }

    void removeTrainer(LocalTrainer t, Map<String, Object> props) {
        Object node = props.get(LocalTrainer.NODE_PROPERTY);
        Object type = props.get(LocalTrainer.MODEL_TYPE_PROPERTY);
        if (node instanceof String n && type instanceof String ty) {
            trainers.getOrDefault(n, new ConcurrentHashMap<>()).remove(ty, t);
        }
    }

    Optional<LocalTrainer> trainer(String node, String modelType) {
        return Optional.ofNullable(trainers.getOrDefault(node, Map.of()).get(modelType));
    }

    @Activate
    void activate(BundleContext bundleContext, FlConfiguration config) {
        settings = FlSettings.of(config);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        // a run holds a thread for its whole length; training and downloads take one each while they last
        work = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "qdht-fl-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        context = bundleContext;
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.command.scope", "fl");
        p.put("osgi.command.function", FlCommands.FUNCTIONS);
        commands = bundleContext.registerService(FlCommands.class, new FlCommands(this), p);
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
        work.shutdownNow();
    }

    Map<String, DhtModelRegistry> running() {
        Map<String, DhtModelRegistry> out = new TreeMap<>();
        running.forEach((k, v) -> out.put(k, v.registry()));
        return out;
    }

    Optional<DhtModelRegistry> registry(String node) {
        return Optional.ofNullable(running.get(node)).map(Running::registry);
    }

    Optional<FlNode> node(String node) {
        return Optional.ofNullable(running.get(node)).map(Running::node);
    }

    FlSettings settings() {
        return settings;
    }

    private void reconcileAll() {
        List<String> names = new ArrayList<>(identities.nodes());
        names.addAll(running.keySet());
        names.forEach(this::reconcile);
    }

    /** Starts or restarts the services of {@code name} to match the services present now; framework calls outside the lock. */
    private void reconcile(String name) {
        if (name == null) {
            return;
        }
        List<ServiceRegistration<?>> old = List.of();
        FlNode started = null;
        BundleContext bc;
        synchronized (this) {
            bc = context;
            NodeIdentity identity = identities.get(name);
            Dht dht = dhts.get(name);
            SecureChannels channel = channels.get(name);
            Routing routing = routings.get(name);
            SignatureVerifier v = verifier;
            boolean ready = bc != null && identity != null && dht != null && channel != null && routing != null && v != null
                    && settings.serves(name);
            Running current = running.get(name);
            if (current != null) {
                if (ready && current.registry().identity() == identity) {
                    return;
                }
                running.remove(name);
                old = current.registrations();
            }
            if (ready) {
                DhtModelRegistry registry = new DhtModelRegistry(name, identity, dht, v, settings);
                NodeIdentity id = identity;
                started = new FlNode(registry, channel, routing, type -> trainer(name, type),
                        () -> Optional.ofNullable(suites.get(id.suite().code())), settings, work, new Counters(), log);
            }
        }
        old.forEach(FlComponent::unregister);
        if (started != null && bc != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(QdhtNode.NAME_PROPERTY, name);
            List<ServiceRegistration<?>> regs = new java.util.concurrent.CopyOnWriteArrayList<>();
            regs.add(bc.registerService(ModelRegistry.class, started.registry(), props));
            regs.add(bc.registerService(FederatedLearning.class, started.runs(), props));
            Hashtable<String, Object> handler = new Hashtable<>();
            handler.put(SessionMessageHandler.PROTOCOL_PROPERTY, Protocols.LEARNING);
            handler.put(SessionMessageHandler.NODE_PROPERTY, name);
            FlNode node = started;
            regs.add(bc.registerService(SessionMessageHandler.class, (SessionMessageHandler) (session, protocol, message) ->
                    node.onMessage(session, message), handler));
            running.put(name, new Running(started, regs));
        }
    }

    private void stop(String name) {
        Running r = running.remove(name);
        if (r != null) {
            r.registrations().forEach(FlComponent::unregister);
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }
}
