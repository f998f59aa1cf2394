package org.qdht.lib.kwik.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.test.common.annotation.InjectBundleContext;

import tech.kwik.core.QuicClientConnection;

/**
 * The wrapper bundle in a real Felix: it resolves with the siphash bundle as its only library
 * import, exports Kwik's and Agent15's API at the library versions and keeps the rest private,
 * and a Kwik client built from inside the framework runs its handshake code (which needs the
 * embedded HKDF and Agent15).
 */
class KwikBundleIT {
    @InjectBundleContext
    BundleContext context;

    @Test
    void exportsTheLibraryApiAtTheLibraryVersionsAndHidesTheRest() {
        Bundle kwik = bundle("org.qdht.lib.kwik");
        assertEquals(Bundle.ACTIVE, kwik.getState());
        Map<String, Version> exports = new HashMap<>();
        BundleWiring wiring = kwik.adapt(BundleWiring.class);
        for (BundleCapability c : wiring.getCapabilities("osgi.wiring.package")) {
            exports.put((String) c.getAttributes().get("osgi.wiring.package"), (Version) c.getAttributes().get("version"));
        }
        assertEquals(new Version(0, 10, 8), exports.get("tech.kwik.core"));
        assertEquals(new Version(0, 10, 8), exports.get("tech.kwik.core.server"));
        assertEquals(new Version(0, 10, 8), exports.get("tech.kwik.core.log"));
        assertEquals(new Version(3, 1, 0), exports.get("tech.kwik.agent15"));
        assertFalse(exports.containsKey("tech.kwik.core.impl"), "implementation packages stay private: " + exports.keySet());
        assertFalse(exports.containsKey("at.favre.lib.hkdf"), "the embedded HKDF stays private: " + exports.keySet());

        boolean siphashWired = false;
        for (BundleWire w : wiring.getRequiredWires("osgi.wiring.package")) {
            if ("io.whitfin.siphash".equals(w.getCapability().getAttributes().get("osgi.wiring.package"))) {
                siphashWired = "io.whitfin.siphash".equals(w.getProvider().getSymbolicName());
            }
        }
        assertTrue(siphashWired, "siphash comes from its own bundle");
    }

    @Test
    void clientSendsItsInitialPacketFromInsideTheFramework() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket silentServer = new DatagramSocket(0, loopback)) {
            QuicClientConnection client = QuicClientConnection.newBuilder()
                    .host("127.0.0.1").port(silentServer.getLocalPort())
                    .applicationProtocol("qdht/1")
                    .connectTimeout(Duration.ofMillis(400))
                    .noServerCertificateCheck()
                    .build();
            // nobody answers, so the handshake times out; getting that far needs Agent15 and HKDF
            assertThrows(ConnectException.class, client::connect);

            silentServer.setSoTimeout(2000);
            DatagramPacket initial = new DatagramPacket(new byte[1500], 1500);
            silentServer.receive(initial);
            assertTrue(initial.getLength() >= 1200, "a client Initial is padded to 1200 bytes (RFC 9000 14.1): " + initial.getLength());
            assertEquals(0xC0, initial.getData()[0] & 0xC0, "long header with the fixed bit");
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        assertNotNull(null, "bundle " + symbolicName + " is installed");
        return null;
    }
}
