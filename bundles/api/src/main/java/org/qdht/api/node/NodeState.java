package org.qdht.api.node;

/** Life cycle of a node. */
public enum NodeState {
    /** Configured and starting: opening its data area, waiting for services it needs. */
    STARTING,
    /** Up; see {@link NodeStatus} for what it can do. */
    RUNNING,
    /** Leaving the network and releasing resources. */
    STOPPING,
    /** Could not start; {@link NodeStatus#problems()} says why. */
    FAILED
}
