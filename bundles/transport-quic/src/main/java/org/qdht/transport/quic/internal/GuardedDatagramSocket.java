package org.qdht.transport.quic.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

/**
 * A UDP socket that keeps a transient receive error from reaching Kwik. Kwik 0.10.8's server treats
 * any receive error on a socket it has not closed itself as fatal and calls {@code System.exit(9)},
 * which would stop the whole framework; its clients abort the connection. Here such an error is
 * retried after a short pause; only a closed socket or an interrupt (Kwik's own shutdown) ends the
 * receive loop.
 */
final class GuardedDatagramSocket extends DatagramSocket {
    private static final long RETRY_PAUSE_MILLIS = 100;

    private final EndpointLog log;
    private long failures; // only the receiving thread touches it

    GuardedDatagramSocket(InetSocketAddress bind, EndpointLog log) throws SocketException {
        super(bind);
        this.log = log;
    }

    /**
     * Binds {@code address}. A port an endpoint used a moment ago may still be held: Java releases
     * a UDP socket only once the thread blocked receiving on it has woken up, which can be after
     * {@code close()} returned. So a restart on the same port (a configuration change) retries for
     * up to {@code retryMillis} instead of leaving the node without a transport.
     */
    static GuardedDatagramSocket bind(InetSocketAddress address, long retryMillis, EndpointLog log) throws SocketException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMillis);
        while (true) {
            try {
                return new GuardedDatagramSocket(address, log);
            } catch (BindException inUse) {
                if (address.getPort() == 0 || System.nanoTime() - deadline > 0) {
                    throw inUse;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw inUse;
                }
            }
        }
    }

    @Override
    public void receive(DatagramPacket packet) throws IOException {
        while (true) {
            try {
                super.receive(packet);
                return;
            } catch (IOException e) {
                if (isClosed()) {
                    throw e;
                }
                if (failures++ % 100 == 0) { // the first, then every 100th: a lasting fault must not flood the log
                    log.warn("UDP receive on " + getLocalSocketAddress() + " failed " + failures + " time(s), retrying: " + e, null);
                }
                try {
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SocketException("receive interrupted");
                }
            }
        }
    }
}
