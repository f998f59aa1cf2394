package org.qdht.channel.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per source host: at most {@code ratePerSecond} handshakes a second from one host,
 * with bursts up to {@code burst}. Idle buckets are forgotten, and the number of hosts tracked is
 * bounded so a flood from many addresses cannot grow the map without limit. Thread safe.
 */
final class RateLimiter {
    private static final int MAX_HOSTS = 10_000;

    private final double ratePerSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }
    }

    RateLimiter(double ratePerSecond, double burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    boolean tryAcquire(String host, long nowNanos) {
        if (buckets.size() >= MAX_HOSTS && !buckets.containsKey(host)) {
            forgetIdle(nowNanos);
            if (buckets.size() >= MAX_HOSTS) {
                return false;
            }
        }
        Bucket b = buckets.computeIfAbsent(host, h -> new Bucket(burst, nowNanos));
        synchronized (b) {
            double elapsed = (nowNanos - b.lastNanos) / 1e9;
            b.tokens = Math.min(burst, b.tokens + elapsed * ratePerSecond);
            b.lastNanos = nowNanos;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    /** Drops buckets that have refilled completely: they hold no information. */
    void forgetIdle(long nowNanos) {
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext();) {
            Bucket b = it.next().getValue();
            synchronized (b) {
                if (b.tokens + (nowNanos - b.lastNanos) / 1e9 * ratePerSecond >= burst) {
                    it.remove();
                }
            }
        }
    }
}
