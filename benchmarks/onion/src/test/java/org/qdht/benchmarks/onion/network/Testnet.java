package org.qdht.benchmarks.onion.network;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.Dht;
import org.qdht.api.routing.RecordStore;
import org.qdht.api.routing.Routing;
import org.qdht.api.transport.Transport;

/**
 * A local testnet inside the framework: nodes created through ConfigAdmin, each with its own UDP
 * socket on 127.0.0.1, Kademlia routing bootstrapped through the first node.
 *
 * <p>A copy of {@code benchmarks/routing/src/test/java/org/qdht/benchmarks/routing/Testnet.java}, itself adapted from
 * routing-kademlia's test helper (test code, not exported by any bundle): the puzzle difficulty is a
 * parameter, waits take a timeout, and service references are looked up once per node and kept.
 */
final class Testnet implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final BundleContext context;
    private final ConfigurationAdmin cm;
    private final int basePort;
    private final int puzzleDifficulty;
    private final Map<String, Configuration> nodes = new LinkedHashMap<>();
    private final List<Configuration> settings = new ArrayList<>();

    Testnet(BundleContext context, ConfigurationAdmin cm, int basePort, int puzzleDifficulty) {
        this.context = context;
        this.cm = cm;
        this.basePort = basePort;
        this.puzzleDifficulty = puzzleDifficulty;
    }

    String bootstrapAddress() {
        return "udp://127.0.0.1:" + basePort;
    }

    /** Configures a component's PID and waits until the active component runs with those values. */
    void configure(String pid, String component, Map<String, Object> values) throws Exception {
        Configuration c = cm.getConfiguration(pid, "?");
        c.update(new Hashtable<>(values));
        settings.add(c);
        ServiceComponentRuntime scr = context.getService(context.getServiceReference(ServiceComponentRuntime.class));
        awaitTrue(() -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (d.name.equals(component)) {
                    for (ComponentConfigurationDTO cc : scr.getComponentConfigurationDTOs(d)) {
                        if (cc.state == ComponentConfigurationDTO.ACTIVE && values.entrySet().stream().allMatch(e -> same(e.getValue(), cc.properties.get(e.getKey())))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }, component + " active with " + values, TIMEOUT);
    }

    private static boolean same(Object expected, Object actual) {
        if (expected instanceof String[] a && actual instanceof String[] b) {
            return java.util.Arrays.equals(a, b);
        }
        return String.valueOf(expected).equals(String.valueOf(actual));
    }

    /** Creates node {@code index} (port basePort + 2 * index) and waits for its identity, channel and store. */
    void addNode(String name, int index, Map<String, Object> extra) throws Exception {
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("listenPort", basePort + 2 * index);
        p.put("puzzleDifficulty", puzzleDifficulty);
        p.putAll(extra);
        c.update(p);
        nodes.put(name, c);
        awaitTrue(() -> service(SecureChannels.class, name).isPresent() && service(NodeIdentity.class, name).isPresent()
                && service(RecordStore.class, name).isPresent(), "node " + name + " with identity, channel and record store", TIMEOUT);
    }

    List<String> names() {
        return new ArrayList<>(nodes.keySet());
    }

    <T> Optional<T> service(Class<T> type, String node) throws InvalidSyntaxException {
        Collection<ServiceReference<T>> refs = context.getServiceReferences(type, "(qdht.node.name=" + node + ")");
        return refs.isEmpty() ? Optional.empty() : Optional.ofNullable(context.getService(refs.iterator().next()));
    }

    Dht dht(String node) throws InvalidSyntaxException {
        return service(Dht.class, node).orElseThrow(() -> new AssertionError("node " + node + " has no Dht service"));
    }

    Routing routing(String node) throws InvalidSyntaxException {
        return service(Routing.class, node).orElseThrow(() -> new AssertionError("node " + node + " has no Routing service"));
    }

    NodeIdentity identity(String node) throws InvalidSyntaxException {
        return service(NodeIdentity.class, node).orElseThrow();
    }

    /** The node's UDP transport (scheme {@code udp}). */
    Transport udp(String node) throws InvalidSyntaxException {
        Collection<ServiceReference<Transport>> refs = context.getServiceReferences(Transport.class,
                "(&(" + Transport.NODE_PROPERTY + "=" + node + ")(" + Transport.SCHEME_PROPERTY + "=udp))");
        if (refs.isEmpty()) {
            throw new AssertionError("node " + node + " has no udp transport");
        }
        return context.getService(refs.iterator().next());
    }

    static void awaitTrue(Callable<Boolean> check, String what, Duration timeout) {
        await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(check);
    }

    @Override
    public void close() throws Exception {
        for (Configuration c : nodes.values()) {
            c.delete();
        }
        nodes.clear();
        for (Configuration c : settings) {
            c.delete();
        }
    }
}
