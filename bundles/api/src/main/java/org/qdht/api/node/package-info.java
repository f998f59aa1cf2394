/**
 * Nodes: what a running qDHT node reports about itself. One framework may host one node or a
 * whole local testnet; each node is one {@link org.qdht.api.node.QdhtNode} service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.qdht.api.node;
