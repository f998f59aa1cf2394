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
}
