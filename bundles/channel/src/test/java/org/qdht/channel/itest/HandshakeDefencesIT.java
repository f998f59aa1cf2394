package org.qdht.channel.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.channel.itest.TwoNodes.awaitTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.transport.DatagramHandler;

/** The handshake's flood defences, configured through ConfigAdmin: retry cookies and per-host rate limits. */
class HandshakeDefencesIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    TwoNodes nodes;

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    private SecureSession connectAlphaToBeta() throws Exception {
        return nodes.channels("alpha").connect(nodes.loopbackAddress("beta"), Optional.of(nodes.identity("beta").nodeId()))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void withCookiesAlwaysOnAnInitiatorProvesItsAddressFirst() throws Exception {
        nodes = new TwoNodes(context, cm);
        nodes.configureChannel(Map.of("cookies", "ALWAYS"));
        nodes.node("alpha", 0, "xwing-mldsa65");
        nodes.node("beta", 0, "xwing-mldsa65");
        SecureSession s = connectAlphaToBeta();
        assertTrue(s.isOpen());
        Map<String, Long> beta = nodes.channels("beta").counters();
        assertEquals(1L, beta.getOrDefault("retry-sent", 0L), "beta answered the first init with a cookie: " + beta);
        assertEquals(0L, beta.getOrDefault("bad-cookie", 0L), beta.toString());
    }

    @Test
    void idleSessionsAreClosedAndReopenedOnDemand() throws Exception {
        nodes = new TwoNodes(context, cm);
        nodes.configureChannel(Map.of("sessionIdleSeconds", 1L));
        nodes.node("alpha", 0, "xwing-mldsa65");
        nodes.node("beta", 0, "xwing-mldsa65");
        SecureSession first = connectAlphaToBeta();
        awaitTrue(() -> !first.isOpen() && nodes.channels("alpha").sessions().isEmpty() && nodes.channels("beta").sessions().isEmpty(),
                "both ends closed the idle session");
        assertTrue(nodes.channels("alpha").counters().getOrDefault("session-idle-closed", 0L) >= 1);
        SecureSession second = connectAlphaToBeta();
        assertTrue(second.isOpen() && second != first, "a new session on demand");
    }

    @Test
    void aFloodOfInitsFromOneHostIsRateLimited() throws Exception {
        nodes = new TwoNodes(context, cm);
        nodes.configureChannel(Map.of("handshakesPerSecondPerHost", 0.5, "handshakeBurstPerHost", 2));
        nodes.node("alpha", 0, "xwing-mldsa65");
        nodes.node("beta", 0, "xwing-mldsa65");
        List<byte[]> inits = Collections.synchronizedList(new ArrayList<>());
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(DatagramHandler.NODE_PROPERTY, "beta");
        var tap = context.registerService(DatagramHandler.class, (t, from, datagram) -> {
            if (datagram.length > 0 && datagram[0] == 1) {
                inits.add(datagram);
            }
        }, p);
        try {
            connectAlphaToBeta();
            for (int i = 0; i < 20; i++) {
                nodes.transport("alpha").send(nodes.loopbackAddress("beta"), inits.get(0));
            }
            awaitTrue(() -> nodes.channels("beta").counters().getOrDefault("rate-limited", 0L) >= 18,
                    "all but the burst refused before any work: " + nodes.channels("beta").counters());
        } finally {
            tap.unregister();
        }
    }
}
