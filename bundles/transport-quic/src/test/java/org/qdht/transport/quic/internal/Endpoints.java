package org.qdht.transport.quic.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.qdht.api.PeerAddress;

/** Real endpoints on 127.0.0.1 with ephemeral ports for the unit tests; stops them all at the end. */
final class Endpoints implements AutoCloseable {
    /** Warnings go to standard error, where surefire keeps them with the test report. */
    static final EndpointLog STDERR = new EndpointLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
            System.err.println("WARN " + message + (cause == null ? "" : ": " + cause));
        }

        @Override
        public void debug(String message) {
            if (Boolean.getBoolean("quic.debug")) {
                System.err.println("DEBUG " + message);
            }
        }
    };

    private final List<QuicEndpoint> started = new ArrayList<>();
    private long nextServiceId = 1;

    QuicEndpoint start(String node, EndpointSettings settings, HandlerBoard handlers) throws Exception {
        QuicEndpoint e = new QuicEndpoint(node, settings, 0, handlers, STDERR);
        e.start();
        started.add(e);
        return e;
    }

    QuicEndpoint start(String node, HandlerBoard handlers) throws Exception {
        return start(node, EndpointSettings.loopback(), handlers);
    }

    static PeerAddress address(QuicEndpoint e) {
        InetSocketAddress bound = e.boundAddress();
        return PeerAddress.of("quic", QuicLocation.format(bound));
    }

    /** Service properties as SCR would pass them: a fresh service id, plus the given pairs. */
    Map<String, Object> properties(Object... keyValues) {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("service.id", nextServiceId++);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Override
    public void close() {
        started.forEach(QuicEndpoint::stop);
    }
}
