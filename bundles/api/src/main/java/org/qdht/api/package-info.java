/**
 * Identifiers every qDHT concern shares: {@link org.qdht.api.NodeId}, {@link org.qdht.api.KeyId},
 * {@link org.qdht.api.SuiteId} and {@link org.qdht.api.PeerAddress}. All are immutable, validated
 * on construction, safe to share between threads, and carry a wire codec.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.qdht.api;
