package org.qdht.node.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Settings of one node; one factory configuration (PID {@code org.qdht.node}) per node. */
@ObjectClassDefinition(name = "qDHT node", description = "One qDHT node. Create one configuration per node: "
        + "a framework can host a single node or a whole local testnet.")
public @interface NodeConfiguration {

    @AttributeDefinition(name = "Name", description = "Unique name of the node in this framework: 1-32 characters "
            + "of a-z, 0-9 and '-', starting with a letter or digit. Also names the node's data directory.")
    String name();

    @AttributeDefinition(name = "Mode", description = "SERVER routes and stores for others; CLIENT (phones) only queries.",
            options = {@Option(label = "Server", value = "SERVER"), @Option(label = "Client", value = "CLIENT")})
    String mode() default "SERVER";

    @AttributeDefinition(name = "Listen port", description = "Port the node's transports listen on, 0-65535; "
            + "0 lets the system choose a free port.", min = "0", max = "65535")
    int listenPort() default 0;

    @AttributeDefinition(name = "Bootstrap peers", description = "Peers to join through, as scheme://host:port "
            + "(e.g. udp://127.0.0.1:4100). Empty for the first node of a network.", required = false)
    String[] bootstrapPeers() default {};

    @AttributeDefinition(name = "Crypto suite", description = "Suite the node signs and exchanges keys with, by name "
            + "(xwing-mldsa65, mlkem1024-slhdsa-sha2-128f, ...) or hex code (0xF001) for third-party suites.")
    String suite() default "xwing-mldsa65";

    @AttributeDefinition(name = "Fallback suites", description = "Suites to use, in order, while the configured "
            + "suite's bundle is not installed.")
    String[] fallbackSuites() default {"xwing-mldsa65", "mlkem1024-slhdsa-sha2-128f"};

    @AttributeDefinition(name = "NodeId puzzle difficulty", description = "Bits of proof of work behind the NodeId, "
            + "0-40; each bit doubles the work (16 bits: about 65,000 hashes).", min = "0", max = "40")
    int puzzleDifficulty() default 16;

    @AttributeDefinition(name = "Identity passphrase", description = "Encrypts the node's identity keys at rest "
            + "(PBKDF2 + AES-256-GCM). Empty: keys are stored unencrypted, readable by the node's user only.",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD, required = false)
    String identityPassphrase() default "";

    @AttributeDefinition(name = "Maximum records", description = "Records the node keeps for the network, "
            + "1-1,000,000; a full store refuses new keys (STORE_FULL) until records expire.", min = "1", max = "1000000")
    int maxRecords() default 10_000;

    @AttributeDefinition(name = "Maximum record value bytes", description = "Largest value of one stored record, "
            + "0-65536 bytes (0 keeps tombstones only); a larger value is refused (STORE_FULL).", min = "0", max = "65536")
    int maxRecordBytes() default 65_536;

    @AttributeDefinition(name = "Maximum records per publisher", description = "Records one publisher (NodeId) may "
            + "hold in this node, 1-1,000,000, so that no single publisher fills the store.", min = "1", max = "1000000")
    int maxRecordsPerPublisher() default 256;
}
