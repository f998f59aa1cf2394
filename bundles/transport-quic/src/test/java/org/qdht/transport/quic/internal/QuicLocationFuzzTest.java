package org.qdht.transport.quic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the parser of {@code quic://} locations, which come from other peers. An input may only
 * be accepted or refused with an IllegalArgumentException; anything else (another exception, a
 * hang, a name lookup attempt showing up as a slow run) is a finding. An accepted location must
 * format to a canonical text that parses back to the same socket address and formats the same.
 *
 * <p>In a normal build the target runs for the module's {@code fuzz.seconds} (10 s) with
 * {@code JAZZER_FUZZ=1} (set by the surefire configuration); without it Jazzer only replays the
 * inputs kept in {@code src/test/resources}.
 */
class QuicLocationFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parseAnyLocation(String location) {
        InetSocketAddress parsed;
        try {
            parsed = QuicLocation.parse(location);
        } catch (IllegalArgumentException refused) {
            return;
        }
        String canonical = QuicLocation.format(parsed);
        InetSocketAddress again = QuicLocation.parse(canonical);
        assertEquals(parsed, again, "canonical form " + canonical + " parses to the same address");
        assertEquals(canonical, QuicLocation.format(again), "the canonical form is stable");
    }
}
