package org.qdht.fl.fedavg.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
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
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.crypto.SignatureVerifier;
import org.qdht.api.learning.ModelRegistry;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.Dht;

/**
 * The federated learning provider: for every node with an identity and a DHT, a
 * {@link ModelRegistry} kept in the DHT ({@link DhtModelRegistry}), registered with the node's
 * name, and the {@code fl:} commands. Configured by PID {@code org.qdht.fl.fedavg}.
 */
@Component(service = {}, configurationPid = FlComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FlConfiguration.class)
public final class FlComponent {
    static final String PID = "org.qdht.fl.fedavg";

    private final Map<String, NodeIdentity> identities = new ConcurrentHashMap<>();
    private final Map<String, Dht> dhts = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile SignatureVerifier verifier;
    private volatile BundleContext context;
    private volatile FlSettings settings;
    private volatile Logger log;
    private ServiceRegistration<?> commands;

    private record Running(DhtModelRegistry registry, ServiceRegistration<?> registration) {
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
        put(identities, props, identity);
    }

    void removeIdentity(NodeIdentity identity, Map<String, Object> props) {
        remove(identities, props, identity);
    }

    void updatedIdentity(NodeIdentity identity, Map<String, Object> props) {
        reconcile(name(props));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDht(Dht d, Map<String, Object> props) {
        put(dhts, props, d);
    }

    void removeDht(Dht d, Map<String, Object> props) {
        remove(dhts, props, d);
    }

    @Activate
    void activate(BundleContext bundleContext, FlConfiguration config) {
        settings = FlSettings.of(config);
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
    }

    Map<String, DhtModelRegistry> running() {
        Map<String, DhtModelRegistry> out = new TreeMap<>();
        running.forEach((k, v) -> out.put(k, v.registry()));
        return out;
    }

    Optional<DhtModelRegistry> registry(String node) {
        return Optional.ofNullable(running.get(node)).map(Running::registry);
    }

    FlSettings settings() {
        return settings;
    }

    private <T> void put(Map<String, T> map, Map<String, Object> props, T service) {
        String name = name(props);
        if (name != null) {
            map.put(name, service);
            reconcile(name);
        }
    }

    private <T> void remove(Map<String, T> map, Map<String, Object> props, T service) {
        String name = name(props);
        if (name != null && map.remove(name, service)) {
            reconcile(name);
        }
    }

    private static String name(Map<String, Object> props) {
        Object n = props.get(QdhtNode.NAME_PROPERTY);
        return n instanceof String s ? s : null;
    }

    private void reconcileAll() {
        List<String> names = new ArrayList<>(identities.keySet());
        names.addAll(running.keySet());
        names.forEach(this::reconcile);
    }

    /** Starts or restarts the registry of {@code name} to match the services present now; framework calls outside the lock. */
    private void reconcile(String name) {
        if (name == null) {
            return;
        }
        ServiceRegistration<?> old = null;
        DhtModelRegistry started = null;
        BundleContext bc;
        synchronized (this) {
            bc = context;
            NodeIdentity identity = identities.get(name);
            Dht dht = dhts.get(name);
            SignatureVerifier v = verifier;
            boolean ready = bc != null && identity != null && dht != null && v != null && settings.serves(name);
            Running current = running.get(name);
            if (current != null) {
                if (ready && current.registry().identity() == identity) {
                    return;
                }
                running.remove(name);
                old = current.registration();
            }
            if (ready) {
                started = new DhtModelRegistry(name, identity, dht, v, settings);
            }
        }
        if (old != null) {
            unregister(old);
        }
        if (started != null && bc != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(QdhtNode.NAME_PROPERTY, name);
            ServiceRegistration<?> reg = bc.registerService(ModelRegistry.class, started, props);
            running.put(name, new Running(started, reg));
        }
    }

    private void stop(String name) {
        Running r = running.remove(name);
        if (r != null) {
            unregister(r.registration());
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
