package org.qdht.testsupport;

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
 * A local testnet inside the test framework: nodes created through ConfigAdmin, each with its own
 * UDP socket on 127.0.0.1 (port {@code basePort + 2 * index}, leaving the next port for QUIC), and
 * component settings applied through ConfigAdmin with a wait until the component runs with them.
 * {@link #close()} deletes every configuration it made. Not thread safe.
 */
public final class Testnet implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** NodeId work for test nodes: enough to exercise the puzzle, cheap enough for many nodes. */
    public static final int TEST_PUZZLE_DIFFICULTY = 8;

    private final BundleContext context;
    private final ConfigurationAdmin cm;
    private final int basePort;
    private final int puzzleDifficulty;
    private final Map<String, Configuration> nodes = new LinkedHashMap<>();
    private final List<Configuration> settings = new ArrayList<>();

    public Testnet(BundleContext context, ConfigurationAdmin cm, int basePort) {
        this(context, cm, basePort, TEST_PUZZLE_DIFFICULTY);
    }

    public Testnet(BundleContext context, ConfigurationAdmin cm, int basePort, int puzzleDifficulty) {
        this.context = context;
        this.cm = cm;
        this.basePort = basePort;
        this.puzzleDifficulty = puzzleDifficulty;
    }

    /** The UDP address of node 0, for the routing's bootstrap list. */
    public String bootstrapAddress() {
        return "udp://127.0.0.1:" + basePort;
    }

    /** Configures a component's PID and waits until the active component runs with those values. */
    public void configure(String pid, String component, Map<String, Object> values) throws Exception {
        Configuration c = cm.getConfiguration(pid, "?");
        c.update(new Hashtable<>(values));
        if (settings.stream().noneMatch(known -> known.getPid().equals(c.getPid()))) {
            settings.add(c); // configured again: deleted once at the end
        }
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
        }, component + " active with " + values);
    }

    private static boolean same(Object expected, Object actual) {
        if (expected instanceof String[] a && actual instanceof String[] b) {
            return java.util.Arrays.equals(a, b);
        }
        return String.valueOf(expected).equals(String.valueOf(actual));
    }

    /** Creates node {@code index} (port basePort + 2 * index) and waits for its identity, channel and store. */
    public void addNode(String name, int index, Map<String, Object> extra) throws Exception {
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("listenPort", basePort + 2 * index);
        p.put("puzzleDifficulty", puzzleDifficulty);
        p.putAll(extra);
        c.update(p);
        nodes.put(name, c);
        awaitTrue(() -> service(SecureChannels.class, name).isPresent() && service(NodeIdentity.class, name).isPresent()
                && service(RecordStore.class, name).isPresent(), "node " + name + " with identity, channel and record store");
    }

    /** Deletes a node's configuration: it vanishes at once, without a word to its peers; its data area stays. */
    public void removeNode(String name) throws Exception {
        nodes.remove(name).delete();
        awaitTrue(() -> service(QdhtNode.class, name).isEmpty(), "node " + name + " gone");
    }

    public List<String> names() {
        return new ArrayList<>(nodes.keySet());
    }

    public <T> Optional<T> service(Class<T> type, String node) throws InvalidSyntaxException {
        Collection<ServiceReference<T>> refs = context.getServiceReferences(type, "(qdht.node.name=" + node + ")");
        return refs.isEmpty() ? Optional.empty() : Optional.ofNullable(context.getService(refs.iterator().next()));
    }

    public Dht dht(String node) throws InvalidSyntaxException {
        return service(Dht.class, node).orElseThrow(() -> new AssertionError("node " + node + " has no Dht service"));
    }

    public Routing routing(String node) throws InvalidSyntaxException {
        return service(Routing.class, node).orElseThrow(() -> new AssertionError("node " + node + " has no Routing service"));
    }

    public RecordStore store(String node) throws InvalidSyntaxException {
        return service(RecordStore.class, node).orElseThrow(() -> new AssertionError("node " + node + " has no record store"));
    }

    public NodeIdentity identity(String node) throws InvalidSyntaxException {
        return service(NodeIdentity.class, node).orElseThrow(() -> new AssertionError("node " + node + " has no identity"));
    }

    /** The node's UDP transport (scheme {@code udp}), for its traffic figures. */
    public Transport udp(String node) throws InvalidSyntaxException {
        Collection<ServiceReference<Transport>> refs = context.getServiceReferences(Transport.class,
                "(&(" + Transport.NODE_PROPERTY + "=" + node + ")(" + Transport.SCHEME_PROPERTY + "=udp))");
        if (refs.isEmpty()) {
            throw new AssertionError("node " + node + " has no udp transport");
        }
        return context.getService(refs.iterator().next());
    }

    /** Waits up to {@link #TIMEOUT} for {@code check}; exceptions count as not yet. */
    public static void awaitTrue(Callable<Boolean> check, String what) {
        awaitTrue(check, what, TIMEOUT);
    }

    public static void awaitTrue(Callable<Boolean> check, String what, Duration timeout) {
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
