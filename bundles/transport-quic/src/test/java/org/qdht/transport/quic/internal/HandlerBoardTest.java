package org.qdht.transport.quic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.qdht.api.transport.DatagramHandler;
import org.qdht.api.transport.StreamHandler;

class HandlerBoardTest {

    @Test
    void schemeAndNodePropertiesSelectHandlers() {
        assertTrue(HandlerBoard.matches(Map.of(), "alpha"), "no properties: everything");
        assertTrue(HandlerBoard.matches(Map.of("qdht.transport.scheme", "quic"), "alpha"));
        assertTrue(HandlerBoard.matches(Map.of("qdht.transport.scheme", new String[] {"udp", "quic"}), "alpha"));
        assertTrue(HandlerBoard.matches(Map.of("qdht.transport.scheme", List.of("quic")), "alpha"));
        assertFalse(HandlerBoard.matches(Map.of("qdht.transport.scheme", "udp"), "alpha"));
        assertFalse(HandlerBoard.matches(Map.of("qdht.transport.scheme", new String[] {"udp", "ble"}), "alpha"));
        assertTrue(HandlerBoard.matches(Map.of("qdht.node.name", "alpha"), "alpha"));
        assertFalse(HandlerBoard.matches(Map.of("qdht.node.name", "beta"), "alpha"));
    }

    @Test
    void datagramsGoToEveryMatchingHandlerUntilItLeaves() {
        HandlerBoard board = new HandlerBoard();
        DatagramHandler any = (t, f, d) -> { };
        DatagramHandler alphaOnly = (t, f, d) -> { };
        DatagramHandler udpOnly = (t, f, d) -> { };
        board.putDatagramHandler(any, Map.of("service.id", 1L));
        board.putDatagramHandler(alphaOnly, Map.of("service.id", 2L, "qdht.node.name", "alpha"));
        board.putDatagramHandler(udpOnly, Map.of("service.id", 3L, "qdht.transport.scheme", "udp"));
        assertEquals(2, board.datagramHandlers("alpha").size());
        assertEquals(List.of(any), board.datagramHandlers("beta"));

        board.putDatagramHandler(alphaOnly, Map.of("service.id", 2L, "qdht.node.name", "beta")); // properties modified
        assertEquals(2, board.datagramHandlers("beta").size());
        board.removeDatagramHandler(any);
        assertEquals(List.of(alphaOnly), board.datagramHandlers("beta"));
    }

    @Test
    void streamGoesToTheHighestRankingThenTheOldestService() {
        HandlerBoard board = new HandlerBoard();
        StreamHandler old = (t, s) -> { };
        StreamHandler young = (t, s) -> { };
        StreamHandler ranked = (t, s) -> { };
        board.putStreamHandler(young, Map.of("service.id", 20L));
        board.putStreamHandler(old, Map.of("service.id", 10L));
        assertEquals(Optional.of(old), board.streamHandler("alpha"));
        board.putStreamHandler(ranked, Map.of("service.id", 30L, "service.ranking", 7));
        assertEquals(Optional.of(ranked), board.streamHandler("alpha"));
        board.removeStreamHandler(ranked);
        board.removeStreamHandler(old);
        board.removeStreamHandler(young);
        assertEquals(Optional.empty(), board.streamHandler("alpha"));
    }
}
