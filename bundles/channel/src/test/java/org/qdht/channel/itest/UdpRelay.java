package org.qdht.channel.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A man in the middle for tests: a UDP socket on loopback that relays between two nodes and can
 * rewrite the secure channel's first packet on the way. It speaks the UDP transport's fragment
 * format (9-byte header: version, message id, index, count) to see whole channel packets.
 */
final class UdpRelay implements AutoCloseable {
    enum Mode { FORWARD, STRIP_SUITES, FORGE_REJECT }

    private static final int MTU = 1200;

    private final DatagramSocket socket;
    private final InetSocketAddress alpha;
    private final InetSocketAddress beta;
    private final Thread thread;
    private final Map<Integer, byte[][]> partial = new HashMap<>();
    private volatile Mode mode;
    private volatile boolean closed;

    UdpRelay(int alphaPort, int betaPort, Mode mode) throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.alpha = new InetSocketAddress(InetAddress.getLoopbackAddress(), alphaPort);
        this.beta = new InetSocketAddress(InetAddress.getLoopbackAddress(), betaPort);
        this.mode = mode;
        this.thread = new Thread(this::run, "test-mitm-relay");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void run() {
        byte[] buffer = new byte[65_536];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                socket.receive(p);
                byte[] packet = Arrays.copyOf(p.getData(), p.getLength());
                boolean fromAlpha = p.getSocketAddress().equals(alpha);
                if (fromAlpha && mode != Mode.FORWARD && packet.length >= 9) {
                    byte[] message = reassemble(packet);
                    if (message != null && message.length > 6 && message[0] == 1) {
                        tamper(message);
                    } else if (message != null) {
                        sendMessage(message, beta);
                    }
                    continue;
                }
                socket.send(new DatagramPacket(packet, packet.length, fromAlpha ? beta : alpha));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Rewrites an init: strips its offered suites to the first one, or answers it with a forged reject. */
    private void tamper(byte[] init) throws IOException {
        if (mode == Mode.STRIP_SUITES) {
            int count = init[6];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(init, 0, 6);
            out.write(1);
            out.write(init, 7, 2);
            out.write(init, 7 + 2 * count, init.length - 7 - 2 * count);
            sendMessage(out.toByteArray(), beta);
        } else {
            // "beta only has ML-KEM-768 + ML-DSA-65": type 6, the init's index, reason 1, one suite 0x0003
            byte[] reject = {6, init[2], init[3], init[4], init[5], 1, 1, 0, 3};
            sendMessage(reject, alpha);
            mode = Mode.FORWARD;
        }
    }

    private byte[] reassemble(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        b.get();
        int id = b.getInt();
        int index = b.getShort() & 0xFFFF;
        int count = b.getShort() & 0xFFFF;
        byte[][] parts = partial.computeIfAbsent(id, k -> new byte[count][]);
        parts[index] = Arrays.copyOfRange(packet, 9, packet.length);
        for (byte[] part : parts) {
            if (part == null) {
                return null;
            }
        }
        partial.remove(id);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private void sendMessage(byte[] message, InetSocketAddress to) throws IOException {
        int id = ThreadLocalRandom.current().nextInt();
        int count = Math.max(1, (message.length + MTU - 1) / MTU);
        for (int i = 0; i < count; i++) {
            int from = i * MTU;
            int length = Math.min(MTU, message.length - from);
            ByteBuffer b = ByteBuffer.allocate(9 + length);
            b.put((byte) 1).putInt(id).putShort((short) i).putShort((short) count).put(message, from, length);
            socket.send(new DatagramPacket(b.array(), b.capacity(), to));
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
