package org.qdht.transport.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HandlerWhiteboardTest {
    final HandlerWhiteboard<String> board = new HandlerWhiteboard<>();

    @Test
    void absentPropertiesMatchEverySchemeAndNode() {
        board.add("all", Map.of());
        assertEquals(List.of("all"), board.matching("udp", "alpha"));
        assertEquals(List.of("all"), board.matching("mem", "beta"));
    }

    @Test
    void schemeAsStringOrArrayAndNodeFilter() {
        board.add("udp-only", Map.of("qdht.transport.scheme", "udp"));
        board.add("udp-or-quic", Map.of("qdht.transport.scheme", new String[] {"quic", "udp"}));
        board.add("alpha-only", Map.of("qdht.node.name", "alpha"));
        board.add("mem-beta", Map.of("qdht.transport.scheme", "mem", "qdht.node.name", "beta"));
        assertEquals(List.of("udp-only", "udp-or-quic", "alpha-only"), board.matching("udp", "alpha"));
        assertEquals(List.of("udp-only", "udp-or-quic"), board.matching("udp", "beta"));
        assertEquals(List.of("mem-beta"), board.matching("mem", "beta"));
        assertEquals(List.of("udp-or-quic"), board.matching("quic", "gamma"));
    }

    @Test
    void highestRankingFirstThenLowestServiceId() {
        board.add("late-default", Map.of("service.id", 9L));
        board.add("high", Map.of("service.id", 20L, "service.ranking", 10));
        board.add("early-default", Map.of("service.id", 3L));
        board.add("low", Map.of("service.id", 1L, "service.ranking", -5));
        assertEquals(List.of("high", "early-default", "late-default", "low"), board.matching("udp", "a"));
    }

    @Test
    void updateAndRemoveChangeTheMatches() {
        board.add("h", Map.of("qdht.node.name", "alpha"));
        board.update("h", Map.of("qdht.node.name", "beta"));
        assertEquals(List.of(), board.matching("udp", "alpha"));
        assertEquals(List.of("h"), board.matching("udp", "beta"));
        board.remove("h");
        assertEquals(List.of(), board.matching("udp", "beta"));
    }
}
