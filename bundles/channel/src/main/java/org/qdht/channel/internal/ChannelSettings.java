package org.qdht.channel.internal;

/** Validated channel settings; see {@link ChannelConfiguration} for their meaning. */
record ChannelSettings(long handshakeTimeoutMillis, long handshakeRetryMillis, long rekeyAfterSeconds,
        long rekeyAfterMessages, long graceSeconds, CookieMode cookies, int cookieThreshold,
        double handshakesPerSecondPerHost, int handshakeBurstPerHost, int maxPendingHandshakes, int maxSessions,
        int minPeerPuzzleDifficulty, long maxClockSkewSeconds, long sessionIdleSeconds) {

    enum CookieMode { AUTO, ALWAYS, NEVER }

    static final ChannelSettings DEFAULTS = new ChannelSettings(10_000, 1_000, 600, 1L << 30, 30, CookieMode.AUTO, 32,
            20, 40, 256, 4096, 16, 120, 900);

    static ChannelSettings of(ChannelConfiguration c) {
        CookieMode mode;
        try {
            mode = CookieMode.valueOf(c.cookies().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cookies must be AUTO, ALWAYS or NEVER, got '" + c.cookies() + "'");
        }
        ChannelSettings s = new ChannelSettings(c.handshakeTimeoutMillis(), c.handshakeRetryMillis(), c.rekeyAfterSeconds(),
                c.rekeyAfterMessages(), c.graceSeconds(), mode, c.cookieThreshold(), c.handshakesPerSecondPerHost(),
                c.handshakeBurstPerHost(), c.maxPendingHandshakes(), c.maxSessions(), c.minPeerPuzzleDifficulty(),
                c.maxClockSkewSeconds(), c.sessionIdleSeconds());
        s.check();
        return s;
    }

    void check() {
        require(handshakeTimeoutMillis >= 100, "handshakeTimeoutMillis", handshakeTimeoutMillis + " is below 100");
        require(handshakeRetryMillis >= 50 && handshakeRetryMillis <= handshakeTimeoutMillis, "handshakeRetryMillis",
                handshakeRetryMillis + " must be 50..handshakeTimeoutMillis");
        require(rekeyAfterSeconds >= 1, "rekeyAfterSeconds", rekeyAfterSeconds + " is below 1");
        require(rekeyAfterMessages >= 1 && rekeyAfterMessages <= (1L << 62), "rekeyAfterMessages", rekeyAfterMessages + " is out of range");
        require(graceSeconds >= 0, "graceSeconds", graceSeconds + " is negative");
        require(cookieThreshold >= 0, "cookieThreshold", cookieThreshold + " is negative");
        require(handshakesPerSecondPerHost > 0, "handshakesPerSecondPerHost", handshakesPerSecondPerHost + " must be positive");
        require(handshakeBurstPerHost >= 1, "handshakeBurstPerHost", handshakeBurstPerHost + " is below 1");
        require(maxPendingHandshakes >= 1, "maxPendingHandshakes", maxPendingHandshakes + " is below 1");
        require(maxSessions >= 1, "maxSessions", maxSessions + " is below 1");
        require(minPeerPuzzleDifficulty >= 0 && minPeerPuzzleDifficulty <= 40, "minPeerPuzzleDifficulty", minPeerPuzzleDifficulty + " is outside 0-40");
        require(sessionIdleSeconds >= 1, "sessionIdleSeconds", sessionIdleSeconds + " is below 1");
        require(maxClockSkewSeconds >= 1, "maxClockSkewSeconds", maxClockSkewSeconds + " is below 1");
    }

    private static void require(boolean ok, String setting, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("channel setting " + setting + ": " + problem);
        }
    }
}
