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
        return config(name, mode, port, peers, suite, 10_000, 65_536, 256);
    }

    static NodeConfiguration config(String name, String mode, int port, String[] peers, String suite, int maxRecords,
            int maxRecordBytes, int maxRecordsPerPublisher) {
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

            @Override
            public int maxRecords() {
                return maxRecords;
            }

            @Override
            public int maxRecordBytes() {
                return maxRecordBytes;
            }

            @Override
            public int maxRecordsPerPublisher() {
                return maxRecordsPerPublisher;
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
        assertEquals(10_000, s.recordLimits().maxRecords());
        assertEquals(65_536, s.recordLimits().maxValueBytes());
        assertEquals(256, s.recordLimits().maxRecordsPerPublisher());
    }

    @Test
    void recordLimitsAreTakenWithinTheirRanges() throws Exception {
        NodeSettings s = NodeSettings.from(config("a", "SERVER", 0, new String[0], "xwing-mldsa65", 1, 0, 1_000_000));
        assertEquals(1, s.recordLimits().maxRecords());
        assertEquals(0, s.recordLimits().maxValueBytes(), "0 bytes: a store of tombstones only");
        assertEquals(1_000_000, s.recordLimits().maxRecordsPerPublisher(), "may exceed maxRecords: lowering one never breaks the other");
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
        assertMessage("'maxRecords'", config("a", "SERVER", 0, new String[0], "xwing-mldsa65", 0, 65_536, 256));
        assertMessage("'maxRecords'", config("a", "SERVER", 0, new String[0], "xwing-mldsa65", 1_000_001, 65_536, 256));
        assertMessage("'maxRecordBytes'", config("a", "SERVER", 0, new String[0], "xwing-mldsa65", 10, 65_537, 256));
        assertMessage("'maxRecordBytes'", config("a", "SERVER", 0, new String[0], "xwing-mldsa65", 10, -1, 256));
        assertMessage("'maxRecordsPerPublisher'", config("a", "SERVER", 0, new String[0], "xwing-mldsa65", 10, 100, 0));
    }

    private static void assertMessage(String setting, NodeConfiguration config) {
        NodeSettings.InvalidSettingException e = assertThrows(NodeSettings.InvalidSettingException.class, () -> NodeSettings.from(config));
        assertTrue(e.getMessage().contains(setting), e.getMessage());
    }
}
