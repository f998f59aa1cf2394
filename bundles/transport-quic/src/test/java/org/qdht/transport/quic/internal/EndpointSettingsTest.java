package org.qdht.transport.quic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class EndpointSettingsTest {

    @Test
    void defaultsAreValid() throws Exception {
        EndpointSettings s = EndpointSettings.from(config("0.0.0.0", 1, 256, 30, 15, 10));
        assertTrue(s.bindAddress().isAnyLocalAddress());
        assertEquals(Duration.ofSeconds(30), s.idleTimeout());
        assertEquals(4101, s.portFor("alpha", 4100));
        assertEquals(0, s.portFor("alpha", 0), "listen port 0 stays ephemeral");
    }

    @Test
    void eachBadSettingIsNamed() {
        assertNamed("bindAddress", config("my-host", 1, 256, 30, 15, 10));
        assertNamed("portOffset", config("::", -1, 256, 30, 15, 10));
        assertNamed("maxConnections", config("::", 1, 0, 30, 15, 10));
        assertNamed("idleTimeoutSeconds", config("::", 1, 256, 0, 0, 10));
        assertNamed("keepAliveSeconds", config("::", 1, 256, 30, 30, 10));
        assertNamed("connectTimeoutSeconds", config("::", 1, 256, 30, 15, 0));
        EndpointSettings.InvalidSettingException port = assertThrows(EndpointSettings.InvalidSettingException.class,
                () -> EndpointSettings.loopback().portFor("alpha", 65535));
        assertTrue(port.getMessage().contains("'alpha'") && port.getMessage().contains("portOffset"), port.getMessage());
    }

    private static void assertNamed(String setting, QuicTransportConfiguration config) {
        EndpointSettings.InvalidSettingException e = assertThrows(EndpointSettings.InvalidSettingException.class,
                () -> EndpointSettings.from(config));
        assertTrue(e.getMessage().contains("'" + setting + "'"), e.getMessage());
    }

    static QuicTransportConfiguration config(String bind, int offset, int max, int idle, int keepAlive, int connect) {
        return new QuicTransportConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return QuicTransportConfiguration.class;
            }

            @Override
            public String[] nodes() {
                return new String[0];
            }

            @Override
            public String bindAddress() {
                return bind;
            }

            @Override
            public int portOffset() {
                return offset;
            }

            @Override
            public int maxConnections() {
                return max;
            }

            @Override
            public int idleTimeoutSeconds() {
                return idle;
            }

            @Override
            public int keepAliveSeconds() {
                return keepAlive;
            }

            @Override
            public int connectTimeoutSeconds() {
                return connect;
            }
        };
    }
}
