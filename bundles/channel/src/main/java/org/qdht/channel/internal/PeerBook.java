package org.qdht.channel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.qdht.api.NodeId;
import org.qdht.api.SuiteId;
import org.qdht.api.channel.ChannelException;
import org.qdht.api.channel.ChannelException.Reason;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.wire.WireFormatException;
import org.qdht.api.wire.WireReader;
import org.qdht.api.wire.WireWriter;

/**
 * What a node remembers about the peers it has had sessions with: the suites each peer has used
 * (kept on disk, the downgrade pins) and, while the node runs, the peer's latest suite list and
 * static KEM key for IK handshakes. A peer whose signed suite list drops a suite it used before,
 * one this node still holds, is refused as a downgrade until an operator forgets it. Thread safe.
 */
final class PeerBook {
    static final int MAX_PEERS = 10_000;
    private static final int FILE_MAGIC = 0x71706231; // "qpb1"

    private record Entry(Set<SuiteId> usedSuites, List<SuiteId> offered, Optional<EncodedPublicKey> staticKem) {
    }

    private final Map<NodeId, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Optional<Path> file;

    PeerBook(Optional<Path> file) {
        this.file = file;
    }

    /** Refuses a session whose signed suite list drops a suite the peer used before and this node holds. */
    synchronized void checkNoDowngrade(NodeId peer, List<SuiteId> peerOffered, List<SuiteId> localSuites) throws ChannelException {
        Entry e = entries.get(peer);
        if (e == null) {
            return;
        }
        for (SuiteId used : e.usedSuites()) {
            if (localSuites.contains(used) && !peerOffered.contains(used)) {
                throw new ChannelException(Reason.DOWNGRADE, "peer " + peer.toHex().substring(0, 16) + " used suite "
                        + used.name() + " before and no longer offers it; if it really removed that suite, run "
                        + "channel:forget with its NodeId");
            }
        }
    }

    /** Records a completed session. Returns true if the pins changed (the caller then saves). */
    synchronized boolean record(NodeId peer, SuiteId used, List<SuiteId> peerOffered, Optional<EncodedPublicKey> staticKem) {
        Entry old = entries.get(peer);
        Set<SuiteId> suites = new LinkedHashSet<>(old == null ? Set.of() : old.usedSuites());
        boolean changed = suites.add(used);
        Optional<EncodedPublicKey> kem = staticKem.isPresent() ? staticKem : old == null ? Optional.empty() : old.staticKem();
        entries.put(peer, new Entry(Set.copyOf(suites), List.copyOf(peerOffered), kem));
        while (entries.size() > MAX_PEERS) {
            NodeId eldest = entries.keySet().iterator().next();
            entries.remove(eldest);
            changed = true;
        }
        return changed;
    }

    synchronized Optional<List<SuiteId>> offered(NodeId peer) {
        Entry e = entries.get(peer);
        return e == null || e.offered().isEmpty() ? Optional.empty() : Optional.of(e.offered());
    }

    synchronized Optional<EncodedPublicKey> staticKem(NodeId peer, SuiteId suite) {
        Entry e = entries.get(peer);
        return e == null ? Optional.empty() : e.staticKem().filter(k -> k.suite().equals(suite));
    }

    /** Forgets a static key the peer no longer holds (it restarted), so the next handshake uses XX. */
    synchronized void dropStaticKem(NodeId peer) {
        Entry e = entries.get(peer);
        if (e != null) {
            entries.put(peer, new Entry(e.usedSuites(), e.offered(), Optional.empty()));
        }
    }

    synchronized Set<SuiteId> usedSuites(NodeId peer) {
        Entry e = entries.get(peer);
        return e == null ? Set.of() : e.usedSuites();
    }

    synchronized boolean forget(NodeId peer) {
        return entries.remove(peer) != null;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Writes the pins atomically (temporary file, then rename), so a crash never leaves half a file. */
    synchronized void save() throws IOException {
        if (file.isEmpty()) {
            return;
        }
        WireWriter out = new WireWriter(64 + entries.size() * 48);
        out.u32(FILE_MAGIC).varint(entries.size());
        for (Map.Entry<NodeId, Entry> e : entries.entrySet()) {
            e.getKey().writeTo(out);
            Packets.writeSuites(out, new ArrayList<>(e.getValue().usedSuites()));
        }
        Path target = file.get();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, out.toByteArray());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads the pins; a damaged file is an error for the caller to report, never a silent reset. */
    synchronized void load() throws IOException, WireFormatException {
        if (file.isEmpty() || !Files.exists(file.get())) {
            return;
        }
        long size = Files.size(file.get());
        if (size > maxFileSize()) {
            throw new IOException("peer book " + file.get() + " has " + size + " bytes, more than " + maxFileSize());
        }
        for (Map.Entry<NodeId, Set<SuiteId>> e : decode(Files.readAllBytes(file.get())).entrySet()) {
            entries.put(e.getKey(), new Entry(e.getValue(), List.of(), Optional.empty()));
        }
    }

    static long maxFileSize() {
        return 16 + (long) MAX_PEERS * (NodeId.LENGTH + 2 + Packets.MAX_SUITES * 3);
    }

    static Map<NodeId, Set<SuiteId>> decode(byte[] bytes) throws WireFormatException {
        WireReader in = new WireReader(bytes);
        if (in.u32("peer book magic") != FILE_MAGIC) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED, 0, "not a qDHT peer book");
        }
        Map<NodeId, Set<SuiteId>> out = new LinkedHashMap<>();
        int count = in.varint("peer count");
        if (count > MAX_PEERS) {
            throw new WireFormatException(WireFormatException.Reason.OVERSIZED, 4, count + " peers, maximum " + MAX_PEERS);
        }
        for (int i = 0; i < count; i++) {
            NodeId id = NodeId.readFrom(in);
            out.put(id, Set.copyOf(Packets.readSuites(in, "used suites")));
        }
        in.expectEnd("peer book");
        return out;
    }
}
