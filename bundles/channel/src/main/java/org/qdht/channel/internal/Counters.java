package org.qdht.channel.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Named event counters (rejections by reason, retransmissions), for operators and tests. Thread safe. */
final class Counters {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String name) {
        counts.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    long get(String name) {
        LongAdder a = counts.get(name);
        return a == null ? 0 : a.sum();
    }

    /** A sorted snapshot. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The counter name for a channel failure reason, e.g. {@code authentication-failed}. */
    static String nameOf(org.qdht.api.channel.ChannelException.Reason reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
