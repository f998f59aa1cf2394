/**
 * Onion routing without I/O: the packet format (Sphinx with one KEM ciphertext per hop), single-use
 * reply blocks and the replay cache. Drivers (the onion bundle) do the sending, keep the onion keys
 * and feed packets to {@link org.qdht.onion.core.PacketFormat#unwrap}. Not exported: the onion
 * bundle copies the package in.
 */
package org.qdht.onion.core;
