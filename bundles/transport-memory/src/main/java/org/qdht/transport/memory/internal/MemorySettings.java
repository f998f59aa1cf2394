package org.qdht.transport.memory.internal;

/** The validated {@link MemoryTransportConfiguration}; a bad value is refused with a message naming the setting. */
record MemorySettings(double lossRate, long latencyMillis, long seed, int maxDatagramSize, int streamBufferBytes) {
    static final int MAX_DATAGRAM_LIMIT = 16 * 1024 * 1024;

    MemorySettings {
        if (!(lossRate >= 0.0 && lossRate <= 1.0)) {
            throw invalid("lossRate", lossRate, "0.0 to 1.0");
        }
        if (latencyMillis < 0) {
            throw invalid("latencyMillis", latencyMillis, "0 or more");
        }
        if (maxDatagramSize < 1 || maxDatagramSize > MAX_DATAGRAM_LIMIT) {
            throw invalid("maxDatagramSize", maxDatagramSize, "1 to " + MAX_DATAGRAM_LIMIT);
        }
        if (streamBufferBytes < 1) {
            throw invalid("streamBufferBytes", streamBufferBytes, "at least 1");
        }
    }

    /** A perfect link: no loss, no latency, the configuration's default sizes. */
    static MemorySettings perfect() {
        return new MemorySettings(0.0, 0, 1, 65_536, 65_536);
    }

    static MemorySettings from(MemoryTransportConfiguration c) {
        return new MemorySettings(c.lossRate(), c.latencyMillis(), c.seed(), c.maxDatagramSize(), c.streamBufferBytes());
    }

    private static IllegalArgumentException invalid(String setting, Object value, String allowed) {
        return new IllegalArgumentException("in-memory transport setting '" + setting + "' must be " + allowed + ", got " + value);
    }
}
