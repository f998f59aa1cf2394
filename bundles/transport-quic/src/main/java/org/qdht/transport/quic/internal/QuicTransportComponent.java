package org.qdht.transport.quic.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.qdht.api.node.QdhtNode;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.Transport;

/**
 * Gives every {@link QdhtNode} in the framework a QUIC endpoint on its listen port plus the
 * configured offset, registered as that node's {@code quic} {@link Transport}. Nodes come and go
 * with their configurations; a node whose name or port changes gets a new endpoint. A change of
 * this component's configuration restarts every endpoint (SCR reactivates the component).
 * Inbound traffic goes to the {@link DatagramHandler} and {@link StreamHandler} whiteboard.
 */
@Component(service = {}, configurationPid = QuicTransportComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = QuicTransportConfiguration.class)
public class QuicTransportComponent {
    static final String PID = "org.qdht.transport.quic";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final HandlerBoard handlers = new HandlerBoard();
    /** Nodes by service id: what SCR told us, whether or not an endpoint runs for it. Guarded by this. */
    private final Map<Long, NodeEndpoint> nodes = new HashMap<>();
    private BundleContext context;
    private EndpointSettings settings;

    /** A node and its running endpoint (null if it could not start) and service registration. */
    private record NodeEndpoint(String name, int listenPort, QuicEndpoint endpoint, ServiceRegistration<Transport> registration) {
    }

    /** Names of the nodes to serve; empty: every node. */
    private Set<String> servedNodes = Set.of();

    @Activate
    void activate(BundleContext bundleContext, QuicTransportConfiguration config) {
        EndpointSettings validated;
        try {
            validated = EndpointSettings.from(config);
        } catch (EndpointSettings.InvalidSettingException e) {
            log.error(e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
        synchronized (this) {
            context = bundleContext;
            settings = validated;
            servedNodes = Set.copyOf(java.util.Arrays.asList(config.nodes()));
            for (Map.Entry<Long, NodeEndpoint> n : new ArrayList<>(nodes.entrySet())) {
                nodes.put(n.getKey(), start(n.getValue().name(), n.getValue().listenPort()));
            }
        }
    }

    @Deactivate
    void deactivate() {
        List<NodeEndpoint> running;
        synchronized (this) {
            running = new ArrayList<>(nodes.values());
            nodes.clear();
            context = null;
        }
        running.forEach(this::stop);
    }

    @Reference(service = QdhtNode.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeNode", updated = "updatedNode")
    synchronized void addNode(Map<String, Object> properties) {
        String name = String.valueOf(properties.get(QdhtNode.NAME_PROPERTY));
        int listenPort = listenPort(properties);
        // before activation only remember the node: activate starts it with the configuration
        nodes.put(serviceId(properties), context == null ? new NodeEndpoint(name, listenPort, null, null) : start(name, listenPort));
    }

    synchronized void updatedNode(Map<String, Object> properties) {
        NodeEndpoint current = nodes.get(serviceId(properties));
        String name = String.valueOf(properties.get(QdhtNode.NAME_PROPERTY));
        int listenPort = listenPort(properties);
        if (current != null && current.name().equals(name) && current.listenPort() == listenPort) {
            return;
        }
        if (current != null) {
            stop(current);
        }
        nodes.put(serviceId(properties), context == null ? new NodeEndpoint(name, listenPort, null, null) : start(name, listenPort));
    }

    synchronized void removeNode(Map<String, Object> properties) {
        NodeEndpoint gone = nodes.remove(serviceId(properties));
        if (gone != null) {
            stop(gone);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeDatagramHandler", updated = "addDatagramHandler")
    void addDatagramHandler(DatagramHandler handler, Map<String, Object> properties) {
        handlers.putDatagramHandler(handler, properties);
    }

    void removeDatagramHandler(DatagramHandler handler) {
        handlers.removeDatagramHandler(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeStreamHandler", updated = "addStreamHandler")
    void addStreamHandler(StreamHandler handler, Map<String, Object> properties) {
        handlers.putStreamHandler(handler, properties);
    }

    void removeStreamHandler(StreamHandler handler) {
        handlers.removeStreamHandler(handler);
    }

    /** Starts and registers an endpoint; on failure logs why and remembers the node without one. */
    private NodeEndpoint start(String name, int listenPort) {
        if (!servedNodes.isEmpty() && !servedNodes.contains(name)) {
            return new NodeEndpoint(name, listenPort, null, null); // configured not to serve this node
        }
        QuicEndpoint endpoint = null;
        try {
            int port = settings.portFor(name, listenPort);
            endpoint = new QuicEndpoint(name, settings, port, handlers, EndpointLog.of(log));
            endpoint.start();
        } catch (EndpointSettings.InvalidSettingException e) {
            log.error(e.getMessage());
            return new NodeEndpoint(name, listenPort, null, null);
        } catch (Exception e) {
            log.error("node '{}' gets no QUIC transport: cannot listen on {} port {}+{}: {}", name,
                    settings.bindAddress().getHostAddress(), listenPort, settings.portOffset(), e.toString());
            return new NodeEndpoint(name, listenPort, null, null);
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Transport.SCHEME_PROPERTY, HandlerBoard.SCHEME);
        properties.put(Transport.NODE_PROPERTY, name);
        ServiceRegistration<Transport> registration = context.registerService(Transport.class, endpoint, properties);
        return new NodeEndpoint(name, listenPort, endpoint, registration);
    }

    /** Unregisters first, so nobody picks up a transport that is closing. */
    private void stop(NodeEndpoint n) {
        if (n.registration() != null) {
            try {
                n.registration().unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it
            }
        }
        if (n.endpoint() != null) {
            n.endpoint().stop();
        }
    }

    private static long serviceId(Map<String, Object> properties) {
        return (Long) properties.get(Constants.SERVICE_ID);
    }

    private static int listenPort(Map<String, Object> properties) {
        Object port = properties.get(QdhtNode.LISTEN_PORT_PROPERTY);
        return port instanceof Integer p ? p : 0;
    }
}
