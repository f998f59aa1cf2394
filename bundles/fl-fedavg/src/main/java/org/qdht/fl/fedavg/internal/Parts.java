package org.qdht.fl.fedavg.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Large learning messages (a model change, a masked input) cut into parts that each fit one UDP
 * message, and put back together. At most {@link FlMessages#MAX_PARTS} parts per message; a
 * message being reassembled is dropped when its sender starts another with the same number.
 * Thread safe.
 */
final class Parts {
    private final Map<String, byte[][]> pending = new ConcurrentHashMap<>();

    static List<byte[]> split(byte[] all) {
        int parts = Math.max(1, (all.length + FlMessages.MAX_PART_BYTES - 1) / FlMessages.MAX_PART_BYTES);
        if (parts > FlMessages.MAX_PARTS) {
            throw new IllegalArgumentException(all.length + " bytes need more than " + FlMessages.MAX_PARTS + " parts");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            out.add(Arrays.copyOfRange(all, i * FlMessages.MAX_PART_BYTES, Math.min(all.length, (i + 1) * FlMessages.MAX_PART_BYTES)));
        }
        return out;
    }

    /** Adds one part; the whole message once its last part arrived. */
    Optional<byte[]> add(String key, int part, int parts, byte[] bytes) {
        byte[][] slots = pending.compute(key, (k, old) -> old == null || old.length != parts ? new byte[parts][] : old);
        synchronized (slots) {
            slots[part] = bytes;
            for (byte[] s : slots) {
                if (s == null) {
                    return Optional.empty();
                }
            }
        }
        pending.remove(key, slots);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] s : slots) {
            out.writeBytes(s);
        }
        return Optional.of(out.toByteArray());
    }

    void forget(String prefix) {
        pending.keySet().removeIf(k -> k.startsWith(prefix));
    }
}
