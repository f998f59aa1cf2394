package org.qdht.api.transport;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;
import org.qdht.api.PeerAddress;

/**
 * A reliable, ordered, bidirectional byte stream to one peer. Its content is neither authenticated
 * nor encrypted by the transport. One thread may read while another writes; {@link #close()} may
 * be called from any thread, is idempotent, and makes blocked reads and writes fail with an
 * {@link java.io.IOException}. A stream that the peer or the transport closes fails reads with
 * end of stream and writes with a {@link TransportException} of reason {@code CLOSED}.
 */
@ProviderType
public interface TransportStream extends Closeable {
    /** The peer's address. */
    PeerAddress remote();

    /** Bytes from the peer; the same object on every call. Closing it closes the reading side only. */
    InputStream input();

    /** Bytes to the peer; the same object on every call. Writes may block while the peer is slow (flow control). */
    OutputStream output();

    /** Closes both directions and releases the stream's resources. */
    @Override
    void close();
}
