package org.qdht.support.services;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.qdht.api.node.QdhtNode;

/**
 * The services of one type a component needs per node, by node name (the service property
 * {@link QdhtNode#NAME_PROPERTY}), for DS bind and unbind methods. Every change calls back with the
 * node's name, so that the component can start, restart or stop what it runs for that node. A
 * service without a node name is ignored; an unbind only removes the service that is bound.
 * Thread safe.
 */
public final class NodeServices<T> {
    private final Map<String, T> byNode = new ConcurrentHashMap<>();
    private final Consumer<String> onChange;

    /** @param onChange called with the node's name after each change, outside any lock of this class */
    public NodeServices(Consumer<String> onChange) {
        this.onChange = onChange;
    }

    /** A bind: {@code service} is now the one of the node its properties name. */
    public void add(T service, Map<String, Object> properties) {
        String node = nodeName(properties);
        if (node != null) {
            byNode.put(node, service);
            onChange.accept(node);
        }
    }

    /** An unbind: forgets {@code service} if it is still the node's. */
    public void remove(T service, Map<String, Object> properties) {
        String node = nodeName(properties);
        if (node != null && byNode.remove(node, service)) {
            onChange.accept(node);
        }
    }

    /** The node's service, or null. */
    public T get(String node) {
        return byNode.get(node);
    }

    /** The names of the nodes that have one, a snapshot. */
    public List<String> nodes() {
        return List.copyOf(byNode.keySet());
    }

    /** The node name in service properties, or null. */
    public static String nodeName(Map<String, Object> properties) {
        Object name = properties.get(QdhtNode.NAME_PROPERTY);
        return name instanceof String s ? s : null;
    }
}
