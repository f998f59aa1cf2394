package org.qdht.onion.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.qdht.api.anonymity.CircuitInfo;
import org.qdht.onion.core.Hop;

/**
 * A client's circuit: the relays requests travel through, entry first and exit last. Relays keep
 * no state for it: every packet carries its whole route. Replies come back over the same relays in
 * reverse, without the exit. Immutable.
 */
record Circuit(long id, List<RelayInfo> relays, long createdMillis, long expiresMillis) {
    Circuit {
        relays = List.copyOf(relays);
    }

    List<Hop> forwardHops() {
        List<Hop> hops = new ArrayList<>();
        relays.forEach(r -> hops.add(r.hop()));
        return hops;
    }

    /** The reply route's relays: the circuit backwards, from the relay before the exit to the entry. */
    List<Hop> replyHops() {
        List<Hop> hops = new ArrayList<>();
        for (int i = relays.size() - 2; i >= 0; i--) {
            hops.add(relays.get(i).hop());
        }
        return hops;
    }

    boolean isExpired(long now) {
        return now >= expiresMillis;
    }

    CircuitInfo info() {
        return new CircuitInfo(id, relays.size(), Instant.ofEpochMilli(createdMillis), Instant.ofEpochMilli(expiresMillis));
    }
}
