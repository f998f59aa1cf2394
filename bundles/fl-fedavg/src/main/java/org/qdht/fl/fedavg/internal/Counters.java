package org.qdht.fl.fedavg.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Named event counters (messages refused by reason, rounds, updates). Thread safe. */
final class Counters {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    void add(String name) {
        counts.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
