package org.qdht.channel.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.Protocols;
import org.qdht.api.channel.SecureSession;
import org.qdht.api.channel.SessionMessageHandler;

/**
 * The echo protocol ({@link Protocols#ECHO}): a request (first byte 0) goes back unchanged but
 * for its first byte (1); a reply completes the ping waiting for its 8-byte token. Registered with
 * the lowest ranking, so a test or tool can take the protocol over for one node.
 */
final class EchoHandler implements SessionMessageHandler {
    static final int REQUEST = 0;
    static final int REPLY = 1;

    private final Map<Long, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();

    @Override
    public void onMessage(SecureSession session, int protocol, byte[] message) {
        if (message.length == 0) {
            return;
        }
        if (message[0] == REQUEST) {
            message[0] = REPLY;
            try {
                session.send(Protocols.ECHO, message);
            } catch (ChannelException e) {
                // the peer asked over a session that just closed; nothing to answer on
            }
        } else if (message[0] == REPLY && message.length >= 9) {
            CompletableFuture<byte[]> f = waiting.remove(ByteBuffer.wrap(message, 1, 8).getLong());
            if (f != null) {
                f.complete(message);
            }
        }
    }

    /** A request carrying {@code token}, padded to {@code size} bytes (at least 9). */
    static byte[] request(long token, int size) {
        byte[] m = new byte[Math.max(9, size)];
        m[0] = REQUEST;
        ByteBuffer.wrap(m, 1, 8).putLong(token);
        return m;
    }

    CompletableFuture<byte[]> expect(long token) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        waiting.put(token, f);
        f.whenComplete((r, e) -> waiting.remove(token, f));
        return f;
    }
}
