package org.qdht.transport.memory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Link model of the in-memory switchboard shared by every node in the framework (PID {@code org.qdht.transport.memory}). */
@ObjectClassDefinition(name = "qDHT in-memory transport", description = "A test and simulation transport, not a "
        + "network: nodes of one framework reach each other as mem://<node name>. A change restarts the switchboard.")
@interface MemoryTransportConfiguration {

    @AttributeDefinition(name = "Loss rate", description = "Share of datagrams dropped, 0.0 to 1.0; streams are never lossy.",
            min = "0", max = "1")
    double lossRate() default 0.0;

    @AttributeDefinition(name = "Latency", description = "Milliseconds between send and delivery of a datagram, "
            + "and before a stream opens.", min = "0")
    long latencyMillis() default 0;

    @AttributeDefinition(name = "Seed", description = "Seed of the loss decisions: the same seed and the same "
            + "sequence of sends drop the same datagrams.")
    long seed() default 1;

    @AttributeDefinition(name = "Largest datagram", description = "maxDatagramSize() of every in-memory transport, in bytes.",
            min = "1", max = "16777216")
    int maxDatagramSize() default 65_536;

    @AttributeDefinition(name = "Stream buffer", description = "Bytes buffered per stream direction; a writer "
            + "blocks while the buffer is full.", min = "1")
    int streamBufferBytes() default 65_536;
}
