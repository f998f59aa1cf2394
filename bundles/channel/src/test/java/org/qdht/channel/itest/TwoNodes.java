package org.qdht.channel.itest;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.qdht.api.PeerAddress;
import org.qdht.api.channel.SecureChannels;
import org.qdht.api.channel.SessionMessageHandler;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.transport.Transport;

/** Nodes created through ConfigAdmin in the test framework, and lookups of their services. */
final class TwoNodes implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BundleContext context;
    private final ConfigurationAdmin cm;
    private final List<Configuration> configurations = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    TwoNodes(BundleContext context, ConfigurationAdmin cm) {
        this.context = context;
        this.cm = cm;
    }

    /** Sets the channel's configuration (PID org.qdht.channel) and waits until the active component runs with it. */
    void configureChannel(Map<String, Object> settings) throws Exception {
        Configuration c = cm.getConfiguration("org.qdht.channel", "?");
        c.update(new Hashtable<>(settings));
        configurations.add(c);
        ServiceComponentRuntime scr = context.getService(context.getServiceReference(ServiceComponentRuntime.class));
        try {
            awaitChannelActive(scr, settings);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // seen once in many runs: keep what is needed to tell a deadlock from a lost configuration event
            throw new AssertionError(e.getMessage() + "\nchannel component states: " + channelStates(scr) + "\n" + threadDump(), e);
        }
    }

    private static String channelStates(ServiceComponentRuntime scr) {
        StringBuilder out = new StringBuilder();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.name.equals("org.qdht.channel.internal.ChannelComponent")) {
                for (ComponentConfigurationDTO cc : scr.getComponentConfigurationDTOs(d)) {
                    out.append("state ").append(cc.state).append(' ').append(cc.properties).append("; ");
                }
            }
        }
        return out.toString();
    }

    private static String threadDump() {
        StringBuilder out = new StringBuilder("threads:\n");
        for (java.lang.management.ThreadInfo t : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append(t);
        }
        return out.toString();
    }

    private static void awaitChannelActive(ServiceComponentRuntime scr, Map<String, Object> settings) {
        awaitTrue(() -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (d.name.equals("org.qdht.channel.internal.ChannelComponent")) {
                    for (ComponentConfigurationDTO cc : scr.getComponentConfigurationDTOs(d)) {
                        if (cc.state == ComponentConfigurationDTO.ACTIVE && settings.entrySet().stream()
                                .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(cc.properties.get(e.getKey()))))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }, "the channel component active with " + settings);
    }

    Configuration node(String name, int port, String suite) throws Exception {
        Configuration c = cm.createFactoryConfiguration(QdhtNode.FACTORY_PID, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("listenPort", port);
        p.put("suite", suite);
        p.put("puzzleDifficulty", 16);
        c.update(p);
        configurations.add(c);
        awaitTrue(() -> service(SecureChannels.class, name).isPresent() && service(NodeIdentity.class, name).isPresent()
                && context.getServiceReferences(Transport.class, "(&(qdht.node.name=" + name + ")(qdht.transport.scheme=udp))").size() == 1,
                "node " + name + " with identity, channel and transport");
        return c;
    }

    void switchSuite(Configuration node, String suite) throws Exception {
        Dictionary<String, Object> p = node.getProperties();
        p.put("suite", suite);
        node.update(p);
    }

    <T> Optional<T> service(Class<T> type, String node) throws InvalidSyntaxException {
        Collection<ServiceReference<T>> refs = context.getServiceReferences(type, "(qdht.node.name=" + node + ")");
        return refs.isEmpty() ? Optional.empty() : Optional.ofNullable(context.getService(refs.iterator().next()));
    }

    SecureChannels channels(String node) throws InvalidSyntaxException {
        return service(SecureChannels.class, node).orElseThrow();
    }

    NodeIdentity identity(String node) throws InvalidSyntaxException {
        return service(NodeIdentity.class, node).orElseThrow();
    }

    /** The node's UDP transport. */
    Transport transport(String node) throws InvalidSyntaxException {
        return transport(node, "udp");
    }

    Transport transport(String node, String scheme) throws InvalidSyntaxException {
        Collection<ServiceReference<Transport>> refs = context.getServiceReferences(Transport.class,
                "(&(qdht.node.name=" + node + ")(qdht.transport.scheme=" + scheme + "))");
        return context.getService(refs.iterator().next());
    }

    PeerAddress loopbackAddress(String node) throws InvalidSyntaxException {
        return transport(node).localAddresses().stream().filter(a -> a.location().startsWith("127.0.0.1:")).findFirst().orElseThrow();
    }

    /** Registers a handler for {@code protocol} messages to {@code node}, above the built-in ones. */
    void handle(String node, int protocol, SessionMessageHandler handler) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(SessionMessageHandler.PROTOCOL_PROPERTY, protocol);
        p.put(SessionMessageHandler.NODE_PROPERTY, node);
        p.put(org.osgi.framework.Constants.SERVICE_RANKING, 100);
        registrations.add(context.registerService(SessionMessageHandler.class, handler, p));
    }

    static void awaitTrue(Callable<Boolean> check, String what) {
        await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(check);
    }

    @Override
    public void close() throws Exception {
        for (ServiceRegistration<?> r : registrations) {
            r.unregister();
        }
        // undone in reverse: the nodes go before the channel configuration they were started under
        for (int i = configurations.size() - 1; i >= 0; i--) {
            Configuration c = configurations.get(i);
            if (c.getFactoryPid() == null && "org.qdht.channel".equals(c.getPid())) {
                // reset, not deleted: Felix SCR 2.2 can ignore a configuration created again right
                // after the deletion of one with the same PID (the component kept the old settings)
                c.update(new Hashtable<>());
            } else {
                c.delete();
            }
        }
    }
}
