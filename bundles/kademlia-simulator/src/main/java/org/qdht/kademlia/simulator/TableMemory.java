package org.qdht.kademlia.simulator;

import java.util.ArrayList;
import java.util.List;

import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.routing.PeerInfo;
import org.qdht.kademlia.core.RoutingTable;
import org.qdht.kademlia.core.TableEntry;

/**
 * Heap taken by routing tables, measured rather than guessed: copies of sample tables are built
 * with fresh PeerInfo objects (a real node decodes its own copy of every peer, while simulated
 * tables share one per node), and the heap in use is compared after {@code System.gc()} before and
 * after. Approximate: the collector may leave some garbage; repeated runs agree within a few per cent.
 */
public final class TableMemory {
    /** Bytes per table and per entry of the copies. */
    public record Figures(int tables, long entries, long bytes) {
        public double bytesPerEntry() {
            return entries == 0 ? Double.NaN : (double) bytes / entries;
        }

        public double bytesPerTable() {
            return tables == 0 ? Double.NaN : (double) bytes / tables;
        }
    }

    private TableMemory() {
    }

    public static Figures measure(List<RoutingTable> sample, long nowMillis) {
        long before = usedAfterGc();
        List<RoutingTable> copies = new ArrayList<>(sample.size());
        long entries = 0;
        for (RoutingTable t : sample) {
            RoutingTable copy = new RoutingTable(NodeId.of(t.self().bytes()), t.parameters());
            for (TableEntry e : t.entries()) {
                copy.admit(deepCopy(e.peer()), nowMillis);
            }
            entries += copy.size();
            copies.add(copy);
        }
        long after = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(copies); // the copies must still be live when the heap is measured
        return new Figures(sample.size(), entries, Math.max(0, after - before));
    }

    private static PeerInfo deepCopy(PeerInfo p) {
        List<PeerAddress> addresses = new ArrayList<>();
        for (PeerAddress a : p.addresses()) {
            addresses.add(PeerAddress.of(new String(a.scheme()), new String(a.location())));
        }
        return PeerInfo.of(NodeId.of(p.nodeId().bytes()), addresses);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
