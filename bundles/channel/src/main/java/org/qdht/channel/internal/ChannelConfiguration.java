package org.qdht.channel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Settings of the secure channel, shared by every node in the framework (PID {@code org.qdht.channel}). */
@ObjectClassDefinition(name = "qDHT secure channel", description = "Post-quantum handshake, session keys, re-keying and limits.")
public @interface ChannelConfiguration {
    @AttributeDefinition(name = "Handshake timeout (ms)", description = "A handshake not finished by then fails with TIMEOUT.")
    long handshakeTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Handshake retry (ms)", description = "First retransmission delay of a handshake packet; doubles each time.")
    long handshakeRetryMillis() default 1_000;

    @AttributeDefinition(name = "Re-key after (s)", description = "A session's keys are replaced after this many seconds.")
    long rekeyAfterSeconds() default 600;

    @AttributeDefinition(name = "Re-key after messages", description = "A session's keys are replaced after this many messages sent.")
    long rekeyAfterMessages() default 1L << 30;

    @AttributeDefinition(name = "Grace period (s)", description = "How long replaced keys still accept messages already in flight.")
    long graceSeconds() default 30;

    @AttributeDefinition(name = "Retry cookies", description = "AUTO asks for a cookie (a stateless address check) once "
            + "cookieThreshold handshakes are pending; ALWAYS on every handshake; NEVER turns them off.",
            options = {@Option(label = "Auto", value = "AUTO"), @Option(label = "Always", value = "ALWAYS"), @Option(label = "Never", value = "NEVER")})
    String cookies() default "AUTO";

    @AttributeDefinition(name = "Cookie threshold", description = "Pending inbound handshakes above which AUTO asks for cookies.")
    int cookieThreshold() default 32;

    @AttributeDefinition(name = "Handshakes per second per host", description = "Inbound handshakes accepted from one IP address per second.")
    double handshakesPerSecondPerHost() default 20;

    @AttributeDefinition(name = "Handshake burst per host", description = "Inbound handshakes one IP address may start at once.")
    int handshakeBurstPerHost() default 40;

    @AttributeDefinition(name = "Pending handshakes", description = "Inbound handshakes in progress at most, per node; more are dropped.")
    int maxPendingHandshakes() default 256;

    @AttributeDefinition(name = "Sessions", description = "Open sessions at most, per node.")
    int maxSessions() default 4096;

    @AttributeDefinition(name = "Peer puzzle bits", description = "Fewest NodeId proof-of-work bits a peer must show (0-40).")
    int minPeerPuzzleDifficulty() default 16;

    @AttributeDefinition(name = "Session idle timeout (s)", description = "A session that received nothing for this long is closed; "
            + "protocols that keep sessions open send their own keep-alives.")
    long sessionIdleSeconds() default 900;

    @AttributeDefinition(name = "Clock skew (s)", description = "Inits whose timestamp is further off are refused as replays.")
    long maxClockSkewSeconds() default 120;
}
