/**
 * Secure aggregation after Bonawitz et al. 2017, with a KEM in place of Diffie-Hellman: client and
 * server state machines that never touch a socket, their messages and codec, Shamir sharing, the
 * mask generator and the quantiser. The learning bundle moves the messages over the DHT and secure
 * channels. Not exported: each user copies the package in.
 */
package org.qdht.fl.secagg;
