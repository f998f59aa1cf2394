package org.qdht.transport.memory.internal;

import org.qdht.transport.support.TrafficCounters;
import java.io.IOException;
import java.io.InterruptedIOException;

import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;

/**
 * One direction of an in-memory stream: a bounded ring buffer between one writer and one reader.
 * A writer blocks while the buffer is full (flow control), a reader while it is empty.
 * <ul>
 * <li>{@link #closeWriter()}: the writer is done; further writes fail with an IOException, the
 * reader gets the buffered bytes and then end of stream.</li>
 * <li>{@link #closeReader()}: the reader is done; further reads fail with an IOException, writes
 * fail with {@code TransportException(CLOSED)}: nobody will read them.</li>
 * <li>{@link #abort()}: the transport went away; reads drain and end, writes fail with
 * {@code CLOSED}.</li>
 * </ul>
 * Bytes are counted when they move: written bytes as the writer's transport's bytes out, read
 * bytes as the reader's bytes in.
 */
final class BytePipe {
    private final byte[] buffer;
    private final TrafficCounters writerCounters;
    private final TrafficCounters readerCounters;
    private int head;
    private int count;
    private boolean writerClosed;
    private boolean readerClosed;
    private boolean aborted;

    BytePipe(int capacity, TrafficCounters writerCounters, TrafficCounters readerCounters) {
        this.buffer = new byte[capacity];
        this.writerCounters = writerCounters;
        this.readerCounters = readerCounters;
    }

    /** Reads up to {@code len} bytes, blocking until at least one is there; -1 at end of stream. */
    synchronized int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (readerClosed) {
                throw new IOException("stream closed");
            }
            if (count > 0) {
                int n = Math.min(len, count);
                int first = Math.min(n, buffer.length - head);
                System.arraycopy(buffer, head, b, off, first);
                System.arraycopy(buffer, 0, b, off + first, n - first);
                head = (head + n) % buffer.length;
                count -= n;
                readerCounters.streamBytesReceived(n);
                notifyAll();
                return n;
            }
            if (writerClosed || aborted) {
                return -1;
            }
            await();
        }
    }

    /** Writes all {@code len} bytes, blocking while the buffer is full. */
    synchronized void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (writerClosed) {
                throw new IOException("stream closed");
            }
            if (readerClosed) {
                throw new TransportException(Reason.CLOSED, "the peer closed the stream");
            }
            if (aborted) {
                throw new TransportException(Reason.CLOSED, "the transport closed the stream");
            }
            if (count == buffer.length) {
                await();
                continue;
            }
            int n = Math.min(len, buffer.length - count);
            int tail = (head + count) % buffer.length;
            int first = Math.min(n, buffer.length - tail);
            System.arraycopy(b, off, buffer, tail, first);
            System.arraycopy(b, off + first, buffer, 0, n - first);
            count += n;
            off += n;
            len -= n;
            writerCounters.streamBytesSent(n);
            notifyAll();
        }
    }

    synchronized int available() throws IOException {
        if (readerClosed) {
            throw new IOException("stream closed");
        }
        return count;
    }

    synchronized void closeWriter() {
        writerClosed = true;
        notifyAll();
    }

    synchronized void closeReader() {
        readerClosed = true;
        count = 0; // nobody will read them
        notifyAll();
    }

    synchronized void abort() {
        aborted = true;
        notifyAll();
    }

    private void await() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on an in-memory stream");
        }
    }
}
