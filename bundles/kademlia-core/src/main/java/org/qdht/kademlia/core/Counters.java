package org.qdht.kademlia.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Named event counters (rejections by reason, requests by type), for operators and tests. Thread safe. */
public final class Counters {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void add(String name) {
        add(name, 1);
    }

    public void add(String name, long amount) {
        counts.computeIfAbsent(name, n -> new LongAdder()).add(amount);
    }

    public long get(String name) {
        LongAdder a = counts.get(name);
        return a == null ? 0 : a.sum();
    }

    /** A sorted snapshot. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((name, adder) -> out.put(name, adder.sum()));
        return out;
    }
}
