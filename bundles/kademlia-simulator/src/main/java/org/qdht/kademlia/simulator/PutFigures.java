package org.qdht.kademlia.simulator;

/**
 * What a batch of puts achieved.
 *
 * @param replicas peers that accepted each record
 * @param messages messages per put (its lookup and its stores)
 * @param bytes    bytes per put
 */
public record PutFigures(String label, int puts, Distribution replicas, Distribution messages, Distribution bytes) {
}
