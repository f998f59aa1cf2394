package org.qdht.benchmarks.channel;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends fixed-size messages at a target for a fixed time and counts what arrives: the plain UDP
 * baseline ({@link UdpBaseline}) and the secure channel over a transport ({@code ChannelTarget} in
 * {@link ChannelBenchmarks}) go through the same loop, one sending thread each.
 *
 * <p>Ways to send: unpaced ({@code window} 0: as fast as the sending thread can, the receiver drops
 * what it cannot take) and windowed (at most {@code window} messages sent and not yet received; the
 * sender reads the receiver's count in this JVM, the feedback an acknowledging protocol would give,
 * without the cost of acknowledgements; a window of 1 gives the time from {@code send} to the
 * receiving handler). A windowed sender that sees no progress for {@value #STALL_MILLIS} ms writes
 * the messages in flight off as lost and goes on. Every message carries a sequence number in its
 * first 8 bytes, so the receiver can tell a duplicate from a new message.
 */
final class Throughput {
    static final long STALL_MILLIS = 50;

    /** Something to send messages to whose arrivals this JVM can count. */
    interface Target extends AutoCloseable {
        String name();

        /** Sends one message; throws if the send fails (counted, the run goes on). */
        void send(byte[] message) throws Exception;

        /** Messages received so far (duplicates included). */
        long received();

        /** Messages that reached the receiver a second time (same sequence number); 0 expected. */
        long duplicates();

        /** Counters of refusals and drops along the way (channel and transport counters), for the diagnosis. */
        default Map<String, Long> counters() {
            return Map.of();
        }

        @Override
        default void close() {
        }
    }

    /** Every message sent carries a sequence number in its first 8 bytes, unique within this JVM. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** What a receiver saw: messages, and duplicates by sequence number. Thread safe. */
    static final class Arrivals {
        private final AtomicLong messages = new AtomicLong();
        private final BitSet seen = new BitSet();
        private long duplicates;

        void arrived(byte[] data, int offset, int length) {
            if (length >= 8) {
                long seq = 0;
                for (int i = 0; i < 8; i++) {
                    seq = (seq << 8) | (data[offset + i] & 0xFF);
                }
                if (seq >= 0 && seq < Integer.MAX_VALUE) {
                    synchronized (seen) {
                        if (seen.get((int) seq)) {
                            duplicates++;
                        } else {
                            seen.set((int) seq);
                        }
                    }
                }
            }
            messages.incrementAndGet();
        }

        long messages() {
            return messages.get();
        }

        long duplicates() {
            synchronized (seen) {
                return duplicates;
            }
        }
    }

    /** What one timed run gave. Rates are over the sending interval; loss is counted after a drain. */
    record Run(String target, String mode, int messageSize, double seconds, long sent, long failedSends, String firstFailure,
            long receivedInInterval, long receivedAfterDrain, long duplicatesDelivered, long stalls, long kernelReceiveBufferDrops,
            Map<String, Long> counters) {

        double sentPerSecond() {
            return sent / seconds;
        }

        double messagesPerSecond() {
            return receivedInInterval / seconds;
        }

        double megabytesPerSecond() {
            return receivedInInterval * (double) messageSize / seconds / 1e6;
        }

        double loss() {
            return sent == 0 ? Double.NaN : Math.max(0, 1 - (double) (receivedAfterDrain - duplicatesDelivered) / sent);
        }
    }

    private Throughput() {
    }

    /**
     * Warms up for {@code warmupSeconds}, lets the target drain, then sends for {@code seconds} and
     * drains again. {@code window} 0 sends unpaced.
     */
    static Run measure(Target target, String mode, int window, int messageSize, double warmupSeconds, double seconds)
            throws InterruptedException {
        byte[] message = new byte[messageSize];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) (i * 31 + 7);
        }
        send(target, message, window, warmupSeconds);
        drain(target);
        Map<String, Long> countersBefore = target.counters();
        long kernelBefore = KernelUdp.receiveBufferErrors();
        long r0 = target.received();
        long d0 = target.duplicates();
        long start = System.nanoTime();
        Sent s = send(target, message, window, seconds);
        long end = System.nanoTime();
        long r1 = target.received();
        drain(target);
        long r2 = target.received();
        long d2 = target.duplicates();
        long kernelAfter = KernelUdp.receiveBufferErrors();
        Map<String, Long> diff = difference(countersBefore, target.counters());
        return new Run(target.name(), mode, messageSize, (end - start) / 1e9, s.sent, s.failed, s.firstFailure, r1 - r0, r2 - r0,
                d2 - d0, s.stalls, kernelBefore < 0 || kernelAfter < 0 ? -1 : kernelAfter - kernelBefore, diff);
    }

    private record Sent(long sent, long failed, String firstFailure, long stalls) {
    }

    private static Sent send(Target target, byte[] message, int window, double seconds) {
        long sent = 0;
        long failed = 0;
        long stalls = 0;
        long writtenOff = 0;
        long stallSince = 0;
        String firstFailure = null;
        long r0 = target.received();
        long stallNanos = STALL_MILLIS * 1_000_000;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            if (window > 0) {
                long inFlight = sent - (target.received() - r0) - writtenOff;
                if (inFlight >= window) {
                    if (stallSince == 0) {
                        stallSince = now;
                    } else if (now - stallSince > stallNanos) {
                        writtenOff += inFlight;
                        stalls++;
                        stallSince = 0;
                    }
                    Thread.yield();
                    continue;
                }
                stallSince = 0;
            }
            long seq = SEQUENCE.getAndIncrement();
            for (int i = 7; i >= 0; i--) {
                message[i] = (byte) seq;
                seq >>>= 8;
            }
            try {
                target.send(message);
                sent++;
            } catch (Exception e) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = e.toString();
                }
            }
        }
        return new Sent(sent, failed, firstFailure, stalls);
    }

    /** Waits until the receive count has not moved for 300 ms (at most 5 s). */
    static void drain(Target target) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long last = target.received();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            long now = target.received();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 300_000_000L) {
                return;
            }
        }
    }

    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            // "max ..." counters are maxima since the last reading, not running totals
            long d = e.getKey().contains("max ") ? e.getValue() : e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d != 0) {
                out.put(e.getKey(), d);
            }
        }
        return out;
    }

    /**
     * The baseline: two plain {@link DatagramSocket}s on 127.0.0.1, no encryption, no framing; one
     * thread receives and counts. The receiving socket asks for the receive buffer the UDP transport
     * asks for (4 MiB by default).
     */
    static final class UdpBaseline implements Target {
        private final DatagramSocket sender;
        private final DatagramSocket receiver;
        private final DatagramPacket outgoing;
        private final Arrivals arrivals = new Arrivals();
        private final Thread receiveThread;
        private volatile boolean closed;

        UdpBaseline(int messageSize, int receiveBuffer) throws IOException {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            receiver = new DatagramSocket(null);
            receiver.setReceiveBufferSize(receiveBuffer);
            receiver.bind(new InetSocketAddress(loopback, 0));
            receiver.setSoTimeout(200);
            sender = new DatagramSocket(new InetSocketAddress(loopback, 0));
            outgoing = new DatagramPacket(new byte[messageSize], messageSize, receiver.getLocalSocketAddress());
            receiveThread = new Thread(this::receive, "udp-baseline-receiver");
            receiveThread.setDaemon(true);
            receiveThread.start();
        }

        private void receive() {
            DatagramPacket in = new DatagramPacket(new byte[65_536], 65_536);
            while (!closed) {
                try {
                    in.setLength(65_536);
                    receiver.receive(in);
                    arrivals.arrived(in.getData(), in.getOffset(), in.getLength());
                } catch (SocketTimeoutException idle) {
                    // look at closed again
                } catch (IOException e) {
                    if (!closed) {
                        System.err.println("baseline receiver: " + e);
                    }
                }
            }
        }

        int grantedReceiveBuffer() throws SocketException {
            return receiver.getReceiveBufferSize();
        }

        @Override
        public String name() {
            return "plain UDP (baseline)";
        }

        @Override
        public void send(byte[] message) throws IOException {
            outgoing.setData(message, 0, message.length);
            sender.send(outgoing);
        }

        @Override
        public long received() {
            return arrivals.messages();
        }

        @Override
        public long duplicates() {
            return arrivals.duplicates();
        }


        @Override
        public void close() {
            closed = true;
            sender.close();
            receiver.close();
            try {
                receiveThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Linux's UDP counters ({@code /proc/net/snmp}): datagrams dropped because a socket's receive buffer was full. */
    static final class KernelUdp {
        private static final Path SNMP = Path.of("/proc/net/snmp");

        private KernelUdp() {
        }

        /** RcvbufErrors of the whole network namespace, or -1 if unreadable. */
        static long receiveBufferErrors() {
            return field("RcvbufErrors");
        }

        static long field(String name) {
            try {
                List<String> lines = Files.readAllLines(SNMP);
                Map<String, Long> udp = new HashMap<>();
                for (int i = 0; i + 1 < lines.size(); i++) {
                    if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                        String[] names = lines.get(i).split("\\s+");
                        String[] values = lines.get(i + 1).split("\\s+");
                        for (int k = 1; k < Math.min(names.length, values.length); k++) {
                            udp.put(names[k], Long.parseLong(values[k]));
                        }
                        break;
                    }
                }
                return udp.getOrDefault(name, -1L);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }
}
