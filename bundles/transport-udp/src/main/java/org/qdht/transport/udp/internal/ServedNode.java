package org.qdht.transport.udp.internal;

import org.qdht.transport.support.HandlerWhiteboard;
import java.io.IOException;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.Transport;

/** One node the bundle serves: its name and listen port, and while bound, its transport and service registration. */
final class ServedNode {
    final String name;
    final int listenPort;
    private UdpTransport transport;
    private ServiceRegistration<Transport> registration;

    ServedNode(String name, int listenPort) {
        this.name = name;
        this.listenPort = listenPort;
    }

    boolean sameAs(String otherName, int otherPort) {
        return name.equals(otherName) && listenPort == otherPort;
    }

    /** Binds the node's socket and registers its transport; a failure is logged and leaves the node unserved. */
    void start(BundleContext context, UdpSettings settings, HandlerWhiteboard<DatagramHandler> handlers, Logger log) {
        int port;
        try {
            port = settings.portFor(listenPort);
        } catch (IllegalArgumentException e) {
            log.error("udp transport of node '{}' not started: {}", name, e.getMessage());
            return;
        }
        try {
            transport = UdpTransport.open(name, port, settings, handlers, log);
        } catch (IOException | RuntimeException e) {
            log.error("udp transport of node '{}' cannot bind {}:{}: {}", name, settings.bindAddress().getHostAddress(),
                    port, e.getMessage());
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Transport.SCHEME_PROPERTY, UdpAddresses.SCHEME);
        properties.put(Transport.NODE_PROPERTY, name);
        registration = context.registerService(Transport.class, transport, properties);
        log.info("udp transport of node '{}' listening on {}:{}", name, settings.bindAddress().getHostAddress(),
                transport.port());
    }

    /** Unregisters the transport, then closes its socket and receive thread. Idempotent. */
    void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
            registration = null;
        }
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }
}
