package org.qdht.api.node;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One qDHT node running in this framework, registered as a service per node with the property
 * {@value #NAME_PROPERTY}. Other bundles (routing, transports, services) find the node they serve
 * through that property. Thread safe.
 */
@ProviderType
public interface QdhtNode {
    /** Service property: the node's name. */
    String NAME_PROPERTY = "qdht.node.name";
    /** Service property: {@code SERVER} or {@code CLIENT}. */
    String MODE_PROPERTY = "qdht.node.mode";
    /**
     * Service property (Integer, 0-65535): the port the node's configuration asks its transports to
     * listen on; 0 lets each transport pick a free port. Transports may add a configured offset so
     * that two UDP-based transports do not collide.
     *
     * @since 1.1
     */
    String LISTEN_PORT_PROPERTY = "qdht.node.listenPort";
    /** Factory PID of node configurations: one configuration, one node. */
    String FACTORY_PID = "org.qdht.node";

    /** The node's name, unique in this framework. */
    String name();

    /** A current snapshot of the node's state. */
    NodeStatus status();
}
