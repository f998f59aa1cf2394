package org.qdht.onion.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.qdht.api.KeyId;
import org.qdht.api.crypto.KemScheme;
import org.qdht.api.crypto.KeyPair;

/**
 * A relay's onion keys, one KEM key pair per epoch. The keys of the current and the next epoch
 * exist at any time (the next one is published ahead, so clients near the change find it); a
 * key stays one epoch past its own for packets built just before the change, and is then
 * destroyed: a packet recorded on the wire cannot be opened once its epoch's key is gone.
 * Thread safe.
 */
final class RelayKeys {
    /** One epoch's key. */
    record EpochKey(long epoch, KeyPair keyPair) {
        KeyId keyId() {
            return keyPair.publicKey().keyId();
        }
    }

    private static final int DELETED_IDS_KEPT = 64;

    private final KemScheme kem;
    private final Map<Long, EpochKey> byEpoch = new LinkedHashMap<>();
    /** Ids of destroyed keys, so that a late packet is counted as late rather than as unknown. */
    private final Set<KeyId> deleted = new LinkedHashSet<>();

    RelayKeys(KemScheme kem) {
        this.kem = kem;
    }

    /**
     * Creates the keys of {@code current} and {@code current + 1} if missing and destroys those
     * before {@code current - 1}.
     *
     * @return the keys created now, to publish
     */
    synchronized List<EpochKey> rotate(long current) {
        List<EpochKey> created = new ArrayList<>();
        for (long e = current; e <= current + 1; e++) {
            if (!byEpoch.containsKey(e)) {
                EpochKey k = new EpochKey(e, kem.generateKeyPair());
                byEpoch.put(e, k);
                created.add(k);
            }
        }
        Iterator<EpochKey> it = byEpoch.values().iterator();
        while (it.hasNext()) {
            EpochKey k = it.next();
            if (k.epoch() < current - 1) {
                deleted.add(k.keyId());
                k.keyPair().destroy();
                it.remove();
            }
        }
        while (deleted.size() > DELETED_IDS_KEPT) {
            deleted.remove(deleted.iterator().next());
        }
        return created;
    }

    synchronized Optional<EpochKey> find(KeyId id) {
        for (EpochKey k : byEpoch.values()) {
            if (k.keyId().equals(id)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    synchronized Optional<EpochKey> forEpoch(long epoch) {
        return Optional.ofNullable(byEpoch.get(epoch));
    }

    /** Whether {@code id} named a key of this relay that has been destroyed. */
    synchronized boolean wasDestroyed(KeyId id) {
        return deleted.contains(id);
    }

    synchronized List<EpochKey> all() {
        return new ArrayList<>(byEpoch.values());
    }

    synchronized void destroyAll() {
        byEpoch.values().forEach(k -> k.keyPair().destroy());
        byEpoch.clear();
    }
}
