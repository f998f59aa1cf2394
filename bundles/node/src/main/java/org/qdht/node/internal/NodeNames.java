package org.qdht.node.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

/**
 * The node names in use in this framework. Two configurations with the same name would share a
 * data directory and corrupt each other's state, so the second one is refused.
 */
@Component(service = NodeNames.class)
public class NodeNames {
    private final Map<String, Object> owners = new HashMap<>();

    /** Reserves {@code name} for {@code owner}; false if another owner holds it. */
    synchronized boolean reserve(String name, Object owner) {
        Object current = owners.putIfAbsent(name, owner);
        return current == null || current == owner;
    }

    /** Releases {@code name} if {@code owner} holds it. */
    synchronized void release(String name, Object owner) {
        owners.remove(name, owner);
    }
}
