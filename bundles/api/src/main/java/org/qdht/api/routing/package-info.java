/**
 * Routing and the distributed hash table: lookups of the closest peers to a key, and put/get/remove
 * of signed, versioned, expiring {@link org.qdht.api.routing.Record}s. A routing provider (Kademlia,
 * adaptive routing) implements {@link org.qdht.api.routing.Routing} and
 * {@link org.qdht.api.routing.Dht}; the node keeps records in a {@link org.qdht.api.routing.RecordStore}
 * that outlives the provider, so a provider can be replaced in a running node without losing data.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.qdht.api.routing;
