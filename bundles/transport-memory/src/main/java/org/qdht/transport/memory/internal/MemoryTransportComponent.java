package org.qdht.transport.memory.internal;

import org.qdht.transport.support.HandlerWhiteboard;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
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
 * Gives every {@link QdhtNode} in the framework an in-memory transport ({@code mem://<node name>}),
 * all attached to one {@link Switchboard}: a test and simulation transport, not a network. A node
 * that is renamed gets a new transport; a node that goes away loses its transport. A configuration
 * change restarts the component with a new switchboard.
 */
@Component(service = {}, configurationPid = MemoryTransportComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MemoryTransportConfiguration.class)
public class MemoryTransportComponent {
    static final String PID = "org.qdht.transport.memory";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final HandlerWhiteboard<DatagramHandler> datagramHandlers = new HandlerWhiteboard<>();
    private final HandlerWhiteboard<StreamHandler> streamHandlers = new HandlerWhiteboard<>();
    /** Node names by service id; nodes bound before activation are attached by {@link #activate}. */
    private final Map<Long, String> nodes = new HashMap<>();
    private final Map<Long, Attached> attached = new HashMap<>();
    private BundleContext context;
    /** Null while the component is not active. */
    private Switchboard switchboard;

    /** A node's transport and its service registration. */
    private record Attached(MemoryTransport transport, ServiceRegistration<Transport> registration) {
    }

    @Activate
    void activate(BundleContext bundleContext, MemoryTransportConfiguration config) {
        MemorySettings settings;
        try {
            settings = MemorySettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage()); // SCR's own report of the failed activation is easy to miss
            throw e;
        }
        synchronized (this) {
            context = bundleContext;
            switchboard = new Switchboard(settings);
            nodes.forEach(this::attach);
        }
        log.info("in-memory switchboard up (test and simulation transport): loss {}, latency {} ms, seed {}",
                settings.lossRate(), settings.latencyMillis(), settings.seed());
    }

    @Deactivate
    synchronized void deactivate() {
        for (Long id : nodes.keySet()) {
            detach(id);
        }
        switchboard.close();
        switchboard = null;
    }

    @Reference(service = QdhtNode.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeNode", updated = "updatedNode")
    synchronized void addNode(ServiceReference<QdhtNode> reference) {
        Object name = reference.getProperty(QdhtNode.NAME_PROPERTY);
        if (!(name instanceof String)) {
            return; // the node bundle always sets it; a foreign QdhtNode without one cannot be addressed
        }
        long id = serviceId(reference);
        nodes.put(id, (String) name);
        if (switchboard != null) {
            attach(id, (String) name);
        }
    }

    synchronized void updatedNode(ServiceReference<QdhtNode> reference) {
        if (!Objects.equals(reference.getProperty(QdhtNode.NAME_PROPERTY), nodes.get(serviceId(reference)))) {
            removeNode(reference); // renamed: the address changes with the name
            addNode(reference);
        }
    }

    synchronized void removeNode(ServiceReference<QdhtNode> reference) {
        long id = serviceId(reference);
        nodes.remove(id);
        detach(id);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeDatagramHandler", updated = "updatedDatagramHandler")
    void addDatagramHandler(DatagramHandler handler, Map<String, Object> properties) {
        datagramHandlers.add(handler, properties);
    }

    void updatedDatagramHandler(DatagramHandler handler, Map<String, Object> properties) {
        datagramHandlers.update(handler, properties);
    }

    void removeDatagramHandler(DatagramHandler handler) {
        datagramHandlers.remove(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeStreamHandler", updated = "updatedStreamHandler")
    void addStreamHandler(StreamHandler handler, Map<String, Object> properties) {
        streamHandlers.add(handler, properties);
    }

    void updatedStreamHandler(StreamHandler handler, Map<String, Object> properties) {
        streamHandlers.update(handler, properties);
    }

    void removeStreamHandler(StreamHandler handler) {
        streamHandlers.remove(handler);
    }

    private void attach(long id, String name) {
        MemoryTransport transport = new MemoryTransport(name, switchboard, datagramHandlers, streamHandlers, log);
        if (!switchboard.attach(transport)) {
            log.error("in-memory transport of node '{}' not started: another node of that name is attached", name);
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Transport.SCHEME_PROPERTY, MemoryTransport.SCHEME);
        properties.put(Transport.NODE_PROPERTY, name);
        attached.put(id, new Attached(transport, context.registerService(Transport.class, transport, properties)));
    }

    private void detach(long id) {
        Attached a = attached.remove(id);
        if (a == null) {
            return;
        }
        try {
            a.registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
        a.transport.close();
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }
}
