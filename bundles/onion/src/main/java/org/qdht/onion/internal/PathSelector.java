package org.qdht.onion.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.qdht.api.NodeId;

/**
 * Chooses the relays of a circuit at random among the relays known, with diversity: no two
 * relays in one network group ({@link NetworkGroup}) and no relay twice (a relay is its NodeId,
 * which is the hash of its identity key, so distinct relays have distinct key owners). The node
 * itself is never chosen. Thread safe.
 */
final class PathSelector {
    private final SecureRandom random;

    PathSelector(SecureRandom random) {
        this.random = random;
    }

    /**
     * @return {@code hops} relays in circuit order, or fewer when the known relays do not allow a
     *         diverse path of that length
     */
    List<RelayInfo> choose(Collection<RelayInfo> known, int hops, NodeId self) {
        List<RelayInfo> pool = new ArrayList<>();
        for (RelayInfo r : known) {
            if (!r.nodeId().equals(self)) {
                pool.add(r);
            }
        }
        List<RelayInfo> path = new ArrayList<>();
        Set<String> groups = new HashSet<>();
        Set<NodeId> owners = new HashSet<>();
        while (path.size() < hops && !pool.isEmpty()) {
            RelayInfo pick = pool.remove(random.nextInt(pool.size()));
            if (groups.contains(pick.networkGroup()) || owners.contains(pick.nodeId())) {
                continue;
            }
            groups.add(pick.networkGroup());
            owners.add(pick.nodeId());
            path.add(pick);
        }
        return path;
    }
}
