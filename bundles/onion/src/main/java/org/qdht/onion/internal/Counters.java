package org.qdht.onion.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Named event counters (rejections by reason, packets relayed, operations). Thread safe. */
final class Counters {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    void add(String name) {
        counts.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    long get(String name) {
        AtomicLong c = counts.get(name);
        return c == null ? 0 : c.get();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
