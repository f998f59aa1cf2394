package org.qdht.kademlia.simulator;

/**
 * What the simulated network does to messages.
 *
 * @param latency   one-way delay per message
 * @param lossRate  probability that one message is lost once
 * @param recovery  what a loss costs: the message is gone, or it arrives after a retransmission
 */
public record NetworkConditions(LatencyModel latency, double lossRate, LossRecovery recovery) {
    /** What happens to a lost message. */
    public enum LossRecovery {
        /**
         * Plain datagrams: the message is gone and the requester times out. The core has no retry,
         * so a lost request to the closest peer costs the lookup that peer.
         */
        NONE,
        /**
         * A reliable transport (the QUIC links of transport-quic): the sender notices the loss after
         * a probe timeout and sends again, so a loss costs time, not the message. Each further loss
         * of the same message doubles the probe timeout, as QUIC does.
         */
        RETRANSMIT
    }

    /** Probe timeout before a lost message is sent again: about three round trips of a typical path (QUIC's initial PTO is 3 x 333 ms; a warm connection's is near srtt + 4 rttvar). */
    public static final long PROBE_TIMEOUT_MICROS = 250_000;

    public NetworkConditions {
        if (lossRate < 0 || lossRate >= 1) {
            throw new IllegalArgumentException("loss rate must be in [0, 1), got " + lossRate);
        }
    }

    /** Access-link latency (median near 40 ms one way), 1% loss, recovered by retransmission. */
    public static NetworkConditions defaults() {
        return new NetworkConditions(AccessLinkLatency.defaults(), 0.01, LossRecovery.RETRANSMIT);
    }

    public NetworkConditions withLatency(LatencyModel model) {
        return new NetworkConditions(model, lossRate, recovery);
    }

    public NetworkConditions withLoss(double rate, LossRecovery how) {
        return new NetworkConditions(latency, rate, how);
    }
}
