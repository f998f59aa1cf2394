package org.qdht.transport.memory.internal;

import org.qdht.transport.support.HandlerWhiteboard;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qdht.api.PeerAddress;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;
import org.qdht.api.transport.TransportException;
import org.qdht.api.transport.TransportException.Reason;
import org.qdht.api.transport.TransportStream;

/**
 * Streams between two in-memory transports with a 16-byte buffer per direction: flow control and
 * the close semantics of {@link TransportStream}.
 */
class MemoryStreamTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final HandlerWhiteboard<StreamHandler> streamHandlers = new HandlerWhiteboard<>();
    final RecordingLogger log = new RecordingLogger();
    final Switchboard switchboard = new Switchboard(new MemorySettings(0, 0, 1, 65_536, 16));
    final MemoryTransport alpha = attach("alpha");
    final MemoryTransport beta = attach("beta");
    final BlockingQueue<TransportStream> accepted = new LinkedBlockingQueue<>();
    TransportStream mine;
    TransportStream theirs;

    @BeforeEach
    void connect() throws Exception {
        streamHandlers.add((t, s) -> accepted.add(s), Map.of());
        mine = alpha.openStream(PeerAddress.parse("mem://beta")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        theirs = accepted.poll(5, TimeUnit.SECONDS);
        assertNotNull(theirs);
    }

    @AfterEach
    void close() {
        mine.close();
        theirs.close();
        switchboard.close();
    }

    @Test
    void bytesFlowBothWaysInOrderAndAreCounted() throws Exception {
        byte[] big = new byte[10_000];
        new java.util.Random(1).nextBytes(big);
        // two threads of our own: the common pool has one worker on a 2-core machine, and the reader
        // would keep the echo from ever running
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            bothWays(big, threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private void bothWays(byte[] big, java.util.concurrent.ExecutorService threads) throws Exception {
        CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> readAll(mine), threads);
        CompletableFuture.runAsync(() -> {
            try {
                theirs.output().write(theirs.input().readNBytes(big.length)); // echo
                theirs.output().close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
        mine.output().write(big); // far more than the 16-byte buffer: only works with a reader at the other end
        assertArrayEquals(big, echoed.get(5, TimeUnit.SECONDS));
        assertEquals(10_000, alpha.stats().bytesOut());
        assertEquals(10_000, alpha.stats().bytesIn());
        assertEquals(10_000, beta.stats().bytesIn());
        assertEquals(0, alpha.stats().datagramsOut(), "streams are not datagrams");
    }

    @Test
    void writerBlocksWhileTheBufferIsFullAndResumesWhenRead() throws Exception {
        Thread writer = new Thread(() -> {
            try {
                mine.output().write(new byte[40]);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        await().atMost(TIMEOUT).until(() -> writer.getState() == Thread.State.WAITING);
        assertEquals(16, theirs.input().available(), "the buffer holds 16 bytes");
        assertEquals(40, theirs.input().readNBytes(40).length);
        writer.join(TIMEOUT.toMillis());
        assertFalse(writer.isAlive());
    }

    @Test
    void closeFailsABlockedReadOfTheSameEndWithAnIOException() throws Exception {
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return mine.input().read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(100); // let the reader block
        mine.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause().getCause());
        assertThrows(IOException.class, () -> mine.output().write(1));
        mine.close(); // idempotent
    }

    @Test
    void peerCloseGivesTheRestThenEndOfStreamAndFailsWritesWithClosed() throws Exception {
        theirs.output().write("bye".getBytes(StandardCharsets.UTF_8));
        theirs.close();
        assertEquals("bye", new String(mine.input().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(-1, mine.input().read());
        TransportException e = assertThrows(TransportException.class, () -> mine.output().write(1));
        assertEquals(Reason.CLOSED, e.reason());
    }

    @Test
    void peerCloseWakesABlockedWriterWithClosed() throws Exception {
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                mine.output().write(new byte[100]);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(100);
        theirs.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> write.get(5, TimeUnit.SECONDS));
        assertEquals(Reason.CLOSED, ((TransportException) e.getCause().getCause()).reason());
    }

    @Test
    void closingTheInputClosesTheReadingSideOnly() throws Exception {
        mine.input().close();
        assertThrows(IOException.class, () -> mine.input().read());
        mine.output().write(7);
        assertEquals(7, theirs.input().read(), "the other direction still works");
        TransportException e = assertThrows(TransportException.class, () -> theirs.output().write(1));
        assertEquals(Reason.CLOSED, e.reason(), "nobody reads what the peer writes");
    }

    @Test
    void closingTheOutputIsAHalfClose() throws Exception {
        mine.output().write(1);
        mine.output().close();
        assertEquals(1, theirs.input().read());
        assertEquals(-1, theirs.input().read());
        theirs.output().write(2);
        assertEquals(2, mine.input().read(), "the peer can still answer");
    }

    @Test
    void closingATransportEndsItsStreamsOnBothSides() throws Exception {
        theirs.output().write(3);
        alpha.close();
        assertEquals(3, mine.input().read(), "bytes already there are still read");
        assertEquals(-1, mine.input().read());
        assertEquals(Reason.CLOSED, assertThrows(TransportException.class, () -> mine.output().write(1)).reason());
        assertEquals(-1, theirs.input().read());
        assertEquals(Reason.CLOSED, assertThrows(TransportException.class, () -> theirs.output().write(1)).reason());
    }

    @Test
    void interruptedReaderGetsAnInterruptedIoException() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                mine.input().read();
            } catch (IOException e) {
                failure.complete(e);
            }
        });
        reader.start();
        await().atMost(TIMEOUT).until(() -> reader.getState() == Thread.State.WAITING);
        reader.interrupt();
        assertInstanceOf(java.io.InterruptedIOException.class, failure.get(5, TimeUnit.SECONDS));
    }

    private MemoryTransport attach(String name) {
        MemoryTransport t = new MemoryTransport(name, switchboard, new HandlerWhiteboard<DatagramHandler>(), streamHandlers,
                log.logger);
        switchboard.attach(t);
        return t;
    }

    private static byte[] readAll(TransportStream s) {
        try {
            return s.input().readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
