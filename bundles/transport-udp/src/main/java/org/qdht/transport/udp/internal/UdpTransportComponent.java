package org.qdht.transport.udp.internal;

import org.qdht.transport.support.HandlerWhiteboard;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
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
import org.qdht.api.node.QdhtNode;
import org.qdht.api.transport.DatagramHandler;

/**
 * Gives every {@link QdhtNode} in the framework a UDP transport: one socket on the node's listen
 * port plus the configured offset, registered as a {@code Transport} service with the node's name.
 * A node that changes its name or port gets a new socket; a node that goes away loses its
 * transport. A configuration change restarts the component, which rebinds every socket.
 */
@Component(service = {}, configurationPid = UdpTransportComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = UdpTransportConfiguration.class)
public class UdpTransportComponent {
    static final String PID = "org.qdht.transport.udp";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final HandlerWhiteboard<DatagramHandler> handlers = new HandlerWhiteboard<>();
    /** Every node seen, by service id; nodes bound before activation are started by {@link #activate}. */
    private final Map<Long, ServedNode> nodes = new HashMap<>();
    private BundleContext context;
    /** Null while the component is not active. */
    private UdpSettings settings;
    /** Names of the nodes to serve; empty: every node. */
    private Set<String> servedNodes = Set.of();

    private boolean serves(String node) {
        return servedNodes.isEmpty() || servedNodes.contains(node);
    }

    @Activate
    void activate(BundleContext bundleContext, UdpTransportConfiguration config) {
        UdpSettings validated;
        try {
            validated = UdpSettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage()); // SCR's own report of the failed activation is easy to miss
            throw e;
        }
        synchronized (this) {
            context = bundleContext;
            settings = validated;
            servedNodes = Set.copyOf(java.util.Arrays.asList(config.nodes()));
            for (ServedNode node : nodes.values()) {
                if (serves(node.name)) {
                    node.start(context, settings, handlers, log);
                }
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        for (ServedNode node : nodes.values()) {
            node.stop();
        }
        settings = null;
    }

    @Reference(service = QdhtNode.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeNode", updated = "updatedNode")
    synchronized void addNode(ServiceReference<QdhtNode> reference) {
        ServedNode node = servedNode(reference);
        if (node == null) {
            return;
        }
        nodes.put(serviceId(reference), node);
        if (settings != null && serves(node.name)) {
            node.start(context, settings, handlers, log);
        }
    }

    synchronized void updatedNode(ServiceReference<QdhtNode> reference) {
        ServedNode previous = nodes.get(serviceId(reference));
        ServedNode next = servedNode(reference);
        if (previous != null && next != null && previous.sameAs(next.name, next.listenPort)) {
            return; // mode or other properties changed: the socket stays
        }
        removeNode(reference);
        addNode(reference);
    }

    synchronized void removeNode(ServiceReference<QdhtNode> reference) {
        ServedNode node = nodes.remove(serviceId(reference));
        if (node != null) {
            node.stop();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeDatagramHandler", updated = "updatedDatagramHandler")
    void addDatagramHandler(DatagramHandler handler, Map<String, Object> properties) {
        handlers.add(handler, properties);
    }

    void updatedDatagramHandler(DatagramHandler handler, Map<String, Object> properties) {
        handlers.update(handler, properties);
    }

    void removeDatagramHandler(DatagramHandler handler) {
        handlers.remove(handler);
    }

    /** The node a service stands for, or null for a service without a name. */
    private ServedNode servedNode(ServiceReference<QdhtNode> reference) {
        Object name = reference.getProperty(QdhtNode.NAME_PROPERTY);
        if (!(name instanceof String)) {
            return null; // the node bundle always sets it; a foreign QdhtNode without one cannot be served
        }
        Object port = reference.getProperty(QdhtNode.LISTEN_PORT_PROPERTY);
        return new ServedNode((String) name, port instanceof Number ? ((Number) port).intValue() : 0);
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }
}
