package org.qdht.channel.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.qdht.channel.itest.TwoNodes.awaitTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.SecureSession;

/**
 * A man in the middle between two nodes on loopback tries to push them to a weaker suite, by
 * stripping the initiator's suite list or by forging the responder's reject. Both attempts fail
 * with DOWNGRADE and are counted; the same relay, passing packets unchanged, carries a working
 * session (the channel does not depend on the path).
 */
class DowngradeIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin cm;

    TwoNodes nodes;

    @BeforeEach
    void start() throws Exception {
        nodes = new TwoNodes(context, cm);
        nodes.configureChannel(Map.of("minPeerPuzzleDifficulty", 16));
        nodes.node("alpha", 0, "xwing-mldsa65");
        nodes.node("beta", 0, "xwing-mldsa65");
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    private ChannelException.Reason connectThrough(UdpRelay relay) throws Exception {
        PeerAddress viaRelay = PeerAddress.of("udp", "127.0.0.1:" + relay.port());
        ExecutionException e = assertThrows(ExecutionException.class, () -> nodes.channels("alpha")
                .connect(viaRelay, Optional.of(nodes.identity("beta").nodeId())).toCompletableFuture().get(20, TimeUnit.SECONDS));
        return assertInstanceOf(ChannelException.class, e.getCause()).reason();
    }

    private int port(String node) throws Exception {
        String location = nodes.loopbackAddress(node).location();
        return Integer.parseInt(location.substring(location.lastIndexOf(':') + 1));
    }

    @Test
    void strippedSuitesAreDetected() throws Exception {
        try (UdpRelay relay = new UdpRelay(port("alpha"), port("beta"), UdpRelay.Mode.STRIP_SUITES)) {
            assertEquals(ChannelException.Reason.DOWNGRADE, connectThrough(relay));
            awaitTrue(() -> nodes.channels("alpha").counters().getOrDefault("downgrade", 0L) >= 1, "counted");
        }
    }

    @Test
    void aForgedRejectPushingAWeakerSuiteIsDetected() throws Exception {
        try (UdpRelay relay = new UdpRelay(port("alpha"), port("beta"), UdpRelay.Mode.FORGE_REJECT)) {
            assertEquals(ChannelException.Reason.DOWNGRADE, connectThrough(relay));
            assertTrue(nodes.channels("alpha").sessions().isEmpty(), "no session under the weaker suite");
        }
    }

    @Test
    void anHonestRelayCarriesAWorkingSession() throws Exception {
        try (UdpRelay relay = new UdpRelay(port("alpha"), port("beta"), UdpRelay.Mode.FORWARD)) {
            SecureSession s = nodes.channels("alpha").connect(PeerAddress.of("udp", "127.0.0.1:" + relay.port()),
                    Optional.of(nodes.identity("beta").nodeId())).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(SuiteId.XWING_MLDSA65, s.suite());
        }
    }
}
