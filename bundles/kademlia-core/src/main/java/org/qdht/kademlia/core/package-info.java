/**
 * Kademlia without I/O: the routing table, lookups as state machines, the RPC messages and the
 * record checks. Drivers (the routing-kademlia bundle, the network simulator) feed these classes
 * with answers, failures and the time, and do the sending themselves. Not exported: each user
 * copies the package in.
 */
package org.qdht.kademlia.core;
