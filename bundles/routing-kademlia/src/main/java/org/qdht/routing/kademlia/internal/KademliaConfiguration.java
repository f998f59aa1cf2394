package org.qdht.routing.kademlia.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of Kademlia routing, shared by every node it serves (PID {@code org.qdht.routing.kademlia}). */
@ObjectClassDefinition(name = "qDHT Kademlia routing", description = "Routing table, lookups, records, bootstrap and maintenance.")
public @interface KademliaConfiguration {
    @AttributeDefinition(name = "Nodes", description = "Names of the nodes this routing serves; empty means every node.")
    String[] nodes() default {};

    @AttributeDefinition(name = "Bootstrap peers", description = "Addresses to join through, e.g. udp://192.0.2.7:4100. "
            + "A node skips its own addresses, so every node of a testnet may share one list.")
    String[] bootstrap() default {};

    @AttributeDefinition(name = "k", description = "Bucket size and replication factor (1-64).")
    int k() default 20;

    @AttributeDefinition(name = "alpha", description = "Requests in flight per lookup path (1-16).")
    int alpha() default 3;

    @AttributeDefinition(name = "Disjoint paths", description = "Independent lookup paths that share no peer (S/Kademlia), 1-8. "
            + "More paths resist eclipse attacks at the cost of more requests.")
    int disjointPaths() default 1;

    @AttributeDefinition(name = "Get quorum", description = "A get stops once this many peers returned the same newest record.")
    int quorum() default 2;

    @AttributeDefinition(name = "Entries per network group per bucket", description = "Peers of one IPv4 /24 or IPv6 /48 in one bucket.")
    int maxPerGroupInBucket() default 2;

    @AttributeDefinition(name = "Entries per network group", description = "Peers of one IPv4 /24 or IPv6 /48 in the whole table.")
    int maxPerGroupInTable() default 10;

    @AttributeDefinition(name = "Initial request timeout (ms)", description = "Timeout towards a peer without measured round trips; "
            + "measured peers get an adaptive timeout between the minimum and maximum.")
    long initialTimeoutMillis() default 2_000;

    @AttributeDefinition(name = "Minimum request timeout (ms)")
    long minTimeoutMillis() default 200;

    @AttributeDefinition(name = "Maximum request timeout (ms)")
    long maxTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Bucket refresh (s)", description = "A bucket without a lookup for this long is refreshed with a lookup of a random id in it.")
    long refreshSeconds() default 600;

    @AttributeDefinition(name = "Republish (s)", description = "Every stored record is stored again on its k closest peers this often, "
            + "so records outlive the nodes that held them.")
    long republishSeconds() default 3_600;

    @AttributeDefinition(name = "Record lifetime (h)", description = "Longest time ahead a record's expiry may lie. "
            + "14 days by default: mailbox entries are kept that long.")
    long maxRecordLifetimeHours() default 336;

    @AttributeDefinition(name = "Publisher puzzle bits", description = "Fewest NodeId proof-of-work bits a record's publisher must show (0-40).")
    int minPublisherPuzzleDifficulty() default 16;

    @AttributeDefinition(name = "Operation timeout (s)", description = "A put, get or lookup not finished by then fails with TIMEOUT.")
    long operationTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Leave timeout (s)", description = "On a graceful stop, how long a node may spend handing its records to its neighbours.")
    long leaveSeconds() default 5;
}
