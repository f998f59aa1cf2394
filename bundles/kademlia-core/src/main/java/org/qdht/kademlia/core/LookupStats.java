package org.qdht.kademlia.core;

/**
 * What one lookup cost.
 *
 * @param requests  requests the lookup asked the driver to send
 * @param responses answers received (late ones included)
 * @param failures  requests that failed or timed out
 * @param hops      length of the referral chain that led to the closest peer that answered: 1 if a
 *                  peer from the start set was the closest, 2 if one of them named it, and so on
 */
public record LookupStats(int requests, int responses, int failures, int hops) {
    public LookupStats plus(LookupStats other) {
        return new LookupStats(requests + other.requests, responses + other.responses, failures + other.failures,
                Math.max(hops, other.hops));
    }
}
