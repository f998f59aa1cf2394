package org.qdht.support.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.qdht.api.node.QdhtNode;

class NodeServicesTest {
    private final List<String> changes = new ArrayList<>();
    private final NodeServices<String> services = new NodeServices<>(changes::add);

    @Test
    void bindsAndUnbindsByNodeNameAndReportsEachChange() {
        services.add("first", Map.of(QdhtNode.NAME_PROPERTY, "alpha"));
        services.add("second", Map.of(QdhtNode.NAME_PROPERTY, "alpha"));
        assertEquals("second", services.get("alpha"), "the newest bind wins");
        services.remove("first", Map.of(QdhtNode.NAME_PROPERTY, "alpha"));
        assertEquals("second", services.get("alpha"), "unbinding a replaced service leaves the current one");
        services.remove("second", Map.of(QdhtNode.NAME_PROPERTY, "alpha"));
        assertNull(services.get("alpha"));
        assertEquals(List.of("alpha", "alpha", "alpha"), changes, "two binds and the one unbind that changed something");
    }

    @Test
    void servicesWithoutANodeNameAreIgnored() {
        services.add("orphan", Map.of());
        services.add("wrong type", Map.of(QdhtNode.NAME_PROPERTY, 42));
        assertEquals(List.of(), services.nodes());
        assertEquals(List.of(), changes);
    }
}
