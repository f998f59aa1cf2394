package org.qdht.transport.memory.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.qdht.api.PeerAddress;
import org.qdht.api.transport.TransportStream;

/**
 * One end of an in-memory stream: reads from one {@link BytePipe}, writes to the other. Closing it
 * closes its reading side and ends its writing side, so the peer reads the bytes already written
 * and then end of stream, and its writes fail with {@code CLOSED}.
 */
final class MemoryStream implements TransportStream {
    private final PeerAddress remote;
    private final BytePipe incoming;
    private final BytePipe outgoing;
    private final MemoryTransport owner;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    private MemoryStream(PeerAddress remote, BytePipe incoming, BytePipe outgoing, MemoryTransport owner) {
        this.remote = remote;
        this.incoming = incoming;
        this.outgoing = outgoing;
        this.owner = owner;
    }

    /** A connected pair: element 0 is the opener's end, element 1 the accepter's. */
    static MemoryStream[] pair(MemoryTransport opener, MemoryTransport accepter, int bufferBytes) {
        BytePipe toAccepter = new BytePipe(bufferBytes, opener.counters(), accepter.counters());
        BytePipe toOpener = new BytePipe(bufferBytes, accepter.counters(), opener.counters());
        return new MemoryStream[] {new MemoryStream(accepter.address(), toOpener, toAccepter, opener),
            new MemoryStream(opener.address(), toAccepter, toOpener, accepter)};
    }

    @Override
    public PeerAddress remote() {
        return remote;
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
        incoming.closeReader();
        outgoing.closeWriter();
        owner.forget(this);
    }

    /** Ends both directions because the transport of one end closed. */
    void abort() {
        incoming.abort();
        outgoing.abort();
    }

    @Override
    public String toString() {
        return "in-memory stream " + owner.address() + " <-> " + remote;
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return incoming.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return incoming.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return incoming.available();
        }

        @Override
        public void close() {
            incoming.closeReader();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            outgoing.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            outgoing.write(b, off, len);
        }

        @Override
        public void close() {
            outgoing.closeWriter();
        }
    }
}
