package org.qdht.transport.quic.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.qdht.api.PeerAddress;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStream;

import tech.kwik.core.QuicStream;

/**
 * A bidirectional QUIC stream with the {@link TransportStream} semantics: when the peer or the
 * connection ends the stream, reads see end of stream and writes fail with {@code CLOSED}; after
 * this side's {@link #close()}, reads and writes fail with an IOException, also those blocked at
 * the time. Kwik only tells "stream closed" apart by message, so this class keeps its own
 * closed flags to decide which of the two applies.
 */
final class QuicTransportStream implements TransportStream {
    /** QUIC application error code on RESET_STREAM / STOP_SENDING: the stream was closed or refused. */
    static final long CLOSED_BY_APPLICATION = 0;
    static final long REFUSED = 0x10;

    private final PeerConnection connection;
    private final QuicStream stream;
    private final TrafficCounters counters;
    private final boolean ownStream;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean inputDone = new AtomicBoolean();
    private final AtomicBoolean outputDone = new AtomicBoolean();
    private final AtomicInteger writersInside = new AtomicInteger();
    private final InputStream input = new Input();
    private final OutputStream output = new Output();
    private final StalledSendRescue rescue;

    /**
     * {@code ownStream}: this side opened it (counts against {@link PeerConnection#MAX_STREAMS});
     * {@code timer} runs the {@link StalledSendRescue}.
     */
    QuicTransportStream(PeerConnection connection, QuicStream stream, TrafficCounters counters, boolean ownStream,
            ScheduledExecutorService timer) {
        this.connection = connection;
        this.stream = stream;
        this.counters = counters;
        this.ownStream = ownStream;
        this.rescue = new StalledSendRescue(stream.getOutputStream(), timer, () -> writersInside.get() > 0);
        if (!ownStream) {
            connection.streamAccepted();
        }
    }

    /** Whether the workaround for Kwik's lost send requests works with this Kwik. */
    boolean rescueAvailable() {
        return rescue.available();
    }

    @Override
    public PeerAddress remote() {
        return connection.remote();
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (outputDone.compareAndSet(false, true)) {
                if (writersInside.get() > 0) {
                    // a writer is blocked on flow control: only a reset wakes it up
                    stream.resetStream(CLOSED_BY_APPLICATION);
                } else {
                    closeKwikOutput();
                }
            }
            if (inputDone.compareAndSet(false, true)) {
                stream.abortReading(CLOSED_BY_APPLICATION);
            }
        } catch (RuntimeException connectionGone) {
            // Kwik refuses frames for a connection that has ended: the stream is gone anyway
        } finally {
            connection.streamClosed(ownStream);
        }
    }

    /** Turns away a stream no handler takes: the peer sees a reset and a stop-sending. */
    void refuse() {
        if (closed.compareAndSet(false, true)) {
            outputDone.set(true);
            inputDone.set(true);
            try {
                stream.resetStream(REFUSED);
                stream.abortReading(REFUSED);
            } catch (RuntimeException connectionGone) {
                // nothing to refuse on an ended connection
            } finally {
                connection.streamClosed(ownStream);
            }
        }
    }

    private void closeKwikOutput() {
        try {
            stream.getOutputStream().close();
            rescue.activity(); // the FIN can get stuck like data
        } catch (IOException alreadyGone) {
            // the peer or the connection ended the stream: nothing left to finish
        }
    }

    private final class Input extends InputStream {
        private volatile boolean endSeen;
        private volatile boolean closedHere;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (closed.get() || closedHere) {
                throw new IOException("stream to " + remote() + " is closed");
            }
            if (endSeen) {
                return -1;
            }
            int n;
            try {
                n = stream.getInputStream().read(buffer, offset, length);
            } catch (IOException e) {
                if (closed.get() || closedHere) {
                    throw new IOException("stream to " + remote() + " was closed while reading", e);
                }
                // reset by the peer, or the connection ended: the contract says end of stream
                n = -1;
            }
            if (n > 0) {
                counters.streamIn(n);
                connection.touch();
            } else if (n < 0) {
                endSeen = true;
                inputDone.set(true);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return closed.get() || closedHere || endSeen ? 0 : stream.getInputStream().available();
        }

        @Override
        public void close() {
            closedHere = true;
            if (inputDone.compareAndSet(false, true)) {
                try {
                    stream.abortReading(CLOSED_BY_APPLICATION);
                } catch (RuntimeException connectionGone) {
                    // nothing left to stop on an ended connection
                }
            }
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            if (outputDone.get()) {
                throw new TransportException(Reason.CLOSED, "stream to " + remote() + " is closed for writing");
            }
            writersInside.incrementAndGet();
            rescue.activity();
            try {
                stream.getOutputStream().write(data, offset, length);
            } catch (IOException e) {
                throw new TransportException(Reason.CLOSED, "stream to " + remote() + " closed: " + e.getMessage(), e);
            } finally {
                writersInside.decrementAndGet();
                rescue.activity();
            }
            counters.streamOut(length);
            connection.sent();
        }

        @Override
        public void flush() {
            // Kwik sends as soon as congestion and flow control allow: nothing waits here
        }

        @Override
        public void close() {
            if (outputDone.compareAndSet(false, true)) {
                closeKwikOutput();
            }
        }
    }
}
