package org.qdht.onion.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of onion routing, shared by every node it serves (PID {@code org.qdht.onion}). */
@ObjectClassDefinition(name = "qDHT onion routing", description = "Relays, onion keys, circuits and anonymous DHT operations.")
public @interface OnionConfiguration {
    @AttributeDefinition(name = "Nodes", description = "Names of the nodes this bundle serves; empty means every node.")
    String[] nodes() default {};

    @AttributeDefinition(name = "Hops", description = "Relays in a circuit (3-5). The reply returns over the same relays in reverse.")
    int hops() default 3;

    @AttributeDefinition(name = "Epoch (s)", description = "How long a relay's onion key is used. A key is kept one epoch longer for "
            + "packets built just before the change, then deleted (forward secrecy by rotation). At least 2 s.")
    long epochSeconds() default 3_600;

    @AttributeDefinition(name = "Circuit lifetime (s)", description = "A circuit is used for this long, then a new one is chosen.")
    long circuitSeconds() default 600;

    @AttributeDefinition(name = "Operation timeout (s)", description = "An anonymous get, put or lookup not answered by then fails with TIMEOUT.")
    long operationTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Replay cache entries", description = "Replay tags a relay remembers per epoch. When full, new packets are dropped and counted.")
    int replayCacheEntries() default 200_000;

    @AttributeDefinition(name = "Relay in client mode", description = "Whether a node in client mode (a phone) relays for others too. Off by default: "
            + "phones are clients only.")
    boolean relayInClientMode() default false;

    @AttributeDefinition(name = "Directory refresh (s)", description = "How often a node looks for relays and their onion keys in the DHT.")
    long directoryRefreshSeconds() default 60;

    @AttributeDefinition(name = "Publisher puzzle bits", description = "Fewest NodeId proof-of-work bits the publisher of a record "
            + "returned by an exit must show (0-40), as storing nodes require.")
    int minPublisherPuzzleDifficulty() default 16;

    @AttributeDefinition(name = "Mailbox epoch (s)", description = "How often mailbox addresses change. Entries are found by scanning the "
            + "epochs of the last 14 days, so a longer epoch means fewer lookups when collecting.")
    long mailboxEpochSeconds() default 86_400;
}
