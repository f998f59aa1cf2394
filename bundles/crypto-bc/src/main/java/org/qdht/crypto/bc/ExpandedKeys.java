package org.qdht.crypto.bc;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.SecretBytes;

/**
 * Expanded private keys kept beside the compact secrets they come from (an ML-DSA seed, an X-Wing
 * seed, an encoded ML-KEM dk), so each signature or decapsulation does not redo the expansion.
 * Entries are keyed by the identity of the {@link SecretBytes}, held weakly (gone with the key
 * pair), and wiped the moment the secret is destroyed. Thread safe.
 *
 * @param <K> the expanded key type, immutable once built so that threads can share it
 */
final class ExpandedKeys<K> {
    /** Builds the expanded key from the secret's bytes; must not keep the array. */
    @FunctionalInterface
    interface Expander<K> {
        K expand(byte[] secret) throws CryptoException;
    }

    private final Map<SecretBytes, K> expanded = new WeakHashMap<>();
    private final Consumer<K> wipe;

    /** @param wipe destroys an expanded key when its secret is destroyed */
    ExpandedKeys(Consumer<K> wipe) {
        this.wipe = wipe;
    }

    /** The expanded key of {@code secret}, built once; refused once the secret is destroyed. */
    K of(SecretBytes secret, Expander<K> expander) throws CryptoException {
        synchronized (expanded) {
            K key = expanded.get(secret);
            if (key != null && !secret.isDestroyed()) {
                return key;
            }
        }
        K key = secret.use(expander::expand); // throws KEY_DESTROYED for a destroyed secret
        return remember(secret, key);
    }

    /**
     * Keeps {@code key} as the expanded form of {@code secret}, for a key pair just generated: its
     * first use then skips the expansion (a handshake's ephemeral KEM key is used exactly once).
     * Returns the key kept, which is an earlier one if another thread was first.
     */
    K remember(SecretBytes secret, K key) {
        synchronized (expanded) {
            K raced = expanded.putIfAbsent(secret, key);
            if (raced != null) {
                wipe.accept(key);
                return raced;
            }
        }
        secret.whenDestroyed(() -> {
            K gone;
            synchronized (expanded) {
                gone = expanded.remove(secret);
            }
            if (gone != null) {
                wipe.accept(gone);
            }
        });
        return key;
    }
}
