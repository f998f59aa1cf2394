package org.qdht.api.node;

/** What a node does for the network. */
public enum NodeMode {
    /** Routes, stores records and relays for others: gateways, desktops, bootstrap nodes. */
    SERVER,
    /** Queries only, never stores or routes for others: phones and constrained devices. */
    CLIENT
}
