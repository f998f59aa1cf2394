/**
 * Transports: unreliable datagrams and, where the link offers them, reliable byte streams to a
 * {@link org.qdht.api.PeerAddress}. A transport bundle (UDP, QUIC, BLE, in-memory, a third party's)
 * registers one {@link org.qdht.api.transport.Transport} per scheme and node, and delivers inbound
 * traffic to the {@link org.qdht.api.transport.DatagramHandler} and
 * {@link org.qdht.api.transport.StreamHandler} services registered on the whiteboard. Transports
 * carry bytes only; authentication and encryption are the secure channel's job
 * ({@link org.qdht.api.channel}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.qdht.api.transport;
