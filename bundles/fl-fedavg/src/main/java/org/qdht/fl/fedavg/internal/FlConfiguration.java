package org.qdht.fl.fedavg.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of federated learning, shared by every node it serves (PID {@code org.qdht.fl.fedavg}). */
@ObjectClassDefinition(name = "qDHT federated learning", description = "Model registry in the DHT: chunks and signed manifests.")
public @interface FlConfiguration {
    @AttributeDefinition(name = "Nodes", description = "Names of the nodes this bundle serves; empty means every node.")
    String[] nodes() default {};

    @AttributeDefinition(name = "Trusted masters", description = "NodeIds (hex) whose manifests are accepted. Empty: a model belongs "
            + "to the first node that published its manifest in the DHT (the DHT's first-publisher rule).")
    String[] trustedMasters() default {};

    @AttributeDefinition(name = "Chunk size (bytes)", description = "Bytes per model chunk, a multiple of 4; one chunk is one DHT record, "
            + "so at most the nodes' maxRecordBytes.")
    int chunkSize() default 49_152;

    @AttributeDefinition(name = "Lifetime (h)", description = "How long published chunks and manifests are kept in the DHT.")
    long lifetimeHours() default 168;

    @AttributeDefinition(name = "Parallel fetches", description = "Chunks fetched at once when a node downloads a model.")
    int parallelFetches() default 4;

    @AttributeDefinition(name = "Invited peers", description = "Peers of the routing table a master invites per round.")
    int maxInvited() default 64;

    @AttributeDefinition(name = "Invitation wait (ms)", description = "How long a master collects acceptances before it samples the round's clients.")
    long inviteMillis() default 2_000;

    @AttributeDefinition(name = "Round deadline (s)", description = "Updates arriving later count as dropouts.")
    long roundSeconds() default 120;

    @AttributeDefinition(name = "Noise multiplier", description = "DP-FedAvg's z: 0 turns differential privacy off; otherwise every update is "
            + "clipped to the clip norm and Gaussian noise of z times the clip norm is added to their sum.")
    double noiseMultiplier() default 0;

    @AttributeDefinition(name = "Clip norm", description = "L2 bound of each client's update under DP-FedAvg.")
    double clipNorm() default 1.0;

    @AttributeDefinition(name = "Privacy delta", description = "The delta epsilon is reported for.")
    double delta() default 1e-5;

    @AttributeDefinition(name = "Privacy budget", description = "Epsilon at which a run stops (PRIVACY_BUDGET_EXHAUSTED).")
    double epsilonBudget() default 10;

    @AttributeDefinition(name = "Population", description = "Clients the sampling rate q = clients per round / population is computed from.")
    int population() default 100;

    @AttributeDefinition(name = "Secure aggregation", description = "Whether clients' changes are combined by secure aggregation "
            + "(Bonawitz et al.), so that the master learns only their sum; needs at least 3 clients per round.")
    boolean secureAggregation() default true;
}
