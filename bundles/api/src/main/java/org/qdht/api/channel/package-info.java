/**
 * The secure channel between nodes: a KEM-based, mutually authenticated, forward-secret handshake
 * in the style of PQ Noise, then AEAD-protected messages with replay protection, multiplexed by a
 * 16-bit protocol code ({@link org.qdht.api.channel.Protocols}). A channel provider registers
 * {@link org.qdht.api.channel.SecureChannels} per node and delivers inbound messages to the
 * {@link org.qdht.api.channel.SessionMessageHandler} registered for their protocol. The offered
 * suite list is covered by the handshake transcript, so a downgrade fails the handshake.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.qdht.api.channel;
