package org.qdht.transport.quic.internal;

import java.nio.ByteBuffer;

import tech.kwik.core.log.BaseLogger;

/**
 * Passes Kwik's errors (as warnings) and warnings (as debug) of client connections to the endpoint
 * log; Kwik's packet, crypto and congestion traces stay off. Not used for the server connector:
 * Kwik registers that logger in a JVM-wide memory listener it never removes, which would pin this
 * bundle's class loader after an update (see {@link QuicEndpoint#start}).
 */
final class KwikLogForwarder extends BaseLogger {
    private final EndpointLog log;
    private final String prefix;

    KwikLogForwarder(EndpointLog log, String prefix) {
        this.log = log;
        this.prefix = prefix;
    }

    @Override
    public void error(String message) {
        log.warn(prefix + "Kwik: " + message, null);
    }

    @Override
    public void error(String message, Throwable error) {
        log.warn(prefix + "Kwik: " + message, error);
    }

    @Override
    public void warn(String message) {
        log.debug(prefix + "Kwik: " + message);
    }

    @Override
    protected void log(String message) {
        log.debug(prefix + message);
    }

    @Override
    protected void log(String message, Throwable ex) {
        log.debug(prefix + message + ": " + ex);
    }

    @Override
    protected void logWithHexDump(String message, byte[] data, int length) {
        log(message);
    }

    @Override
    protected void logWithHexDump(String message, ByteBuffer data, int offset, int length) {
        log(message);
    }
}
