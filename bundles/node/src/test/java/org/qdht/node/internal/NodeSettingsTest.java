package org.qdht.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.node.NodeMode;

class NodeSettingsTest {

    /** A configuration as ConfigAdmin would hand it to the component. */
    static NodeConfiguration config(String name, String mode, int port, String[] peers, String suite) {
        return new NodeConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return NodeConfiguration.class;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String mode() {
                return mode;
            }

            @Override
            public int listenPort() {
                return port;
            }

            @Override
            public String[] bootstrapPeers() {
                return peers;
            }

            @Override
            public String suite() {
                return suite;
            }

            @Override
            public String[] fallbackSuites() {
                return new String[] {"xwing-mldsa65"};
            }

            @Override
            public int puzzleDifficulty() {
                return 8;
            }

            @Override
            public String identityPassphrase() {
                return "";
            }
        };
    }

    @Test
    void validConfigurationIsParsed() throws Exception {
        NodeSettings s = NodeSettings.from(config(" alpha-1 ", "client", 4100,
                new String[] {"udp://127.0.0.1:4101", " ", "quic://[::1]:4102"}, "mlkem1024-slhdsa-sha2-128f"));
        assertEquals("alpha-1", s.name());
        assertEquals(NodeMode.CLIENT, s.mode());
        assertEquals(4100, s.listenPort());
        assertEquals(List.of(PeerAddress.parse("udp://127.0.0.1:4101"), PeerAddress.parse("quic://[::1]:4102")), s.bootstrapPeers());
        assertEquals(SuiteId.MLKEM1024_SLHDSA_SHA2_128F, s.suite());
    }

    @Test
    void eachBadSettingIsNamedInTheError() {
        assertMessage("'name'", config("Alpha", "SERVER", 0, new String[0], "xwing-mldsa65"));
        assertMessage("'name'", config("", "SERVER", 0, new String[0], "xwing-mldsa65"));
        assertMessage("'name'", config("a".repeat(33), "SERVER", 0, new String[0], "xwing-mldsa65"));
        assertMessage("'mode'", config("a", "relay", 0, new String[0], "xwing-mldsa65"));
        assertMessage("'listenPort'", config("a", "SERVER", 70_000, new String[0], "xwing-mldsa65"));
        assertMessage("'bootstrapPeers'", config("a", "SERVER", 0, new String[] {"127.0.0.1:4100"}, "xwing-mldsa65"));
        assertMessage("'suite'", config("a", "SERVER", 0, new String[0], "kyber768"));
    }

    private static void assertMessage(String setting, NodeConfiguration config) {
        NodeSettings.InvalidSettingException e = assertThrows(NodeSettings.InvalidSettingException.class, () -> NodeSettings.from(config));
        assertTrue(e.getMessage().contains(setting), e.getMessage());
    }
}
