package org.qdht.api.crypto;

import java.util.Arrays;

/**
 * Secret key material or a shared secret, which can be wiped. Holders call {@link #destroy()} as
 * soon as they are done; after that every access throws. {@link #toString()} never shows the bytes.
 * Thread safe; {@link #use} gives short-lived access without handing out a copy that may linger.
 */
public final class SecretBytes implements AutoCloseable {
    /** Larger secrets than this are not keys; refusing them keeps mistakes visible. */
    public static final int MAX_LENGTH = 65_536;

    private final byte[] bytes;
    private boolean destroyed;
    private java.util.List<Runnable> onDestroy;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}; the caller should wipe its own array afterwards. */
    public static SecretBytes copyOf(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("secret must be 1-" + MAX_LENGTH + " bytes");
        }
        return new SecretBytes(bytes.clone());
    }

    /** Takes ownership of {@code bytes} without copying; the caller must not keep a reference. */
    public static SecretBytes wrap(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("secret must be 1-" + MAX_LENGTH + " bytes");
        }
        return new SecretBytes(bytes);
    }

    public synchronized int length() {
        return bytes.length;
    }

    /** Something done with the secret's bytes, which it must not keep. */
    @FunctionalInterface
    public interface Use<T> {
        T apply(byte[] secret) throws CryptoException;
    }

    /** Runs {@code use} on the secret bytes themselves; {@code use} must not keep or change them. */
    public synchronized <T> T use(Use<T> use) throws CryptoException {
        if (destroyed) {
            throw new CryptoException(CryptoException.Reason.KEY_DESTROYED, "secret has been destroyed");
        }
        return use.apply(bytes);
    }

    /** A copy of the bytes, for a library that needs its own array; wipe it after use. */
    public synchronized byte[] copy() throws CryptoException {
        return use(byte[]::clone);
    }

    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    /**
     * Runs {@code action} when this secret is destroyed (at once if it already is). Providers use it
     * to wipe what they derived from the secret, such as an expanded private key kept for speed.
     */
    public void whenDestroyed(Runnable action) {
        synchronized (this) {
            if (!destroyed) {
                if (onDestroy == null) {
                    onDestroy = new java.util.ArrayList<>(1);
                }
                onDestroy.add(action);
                return;
            }
        }
        action.run();
    }

    /** Overwrites the bytes with zeros and runs the {@link #whenDestroyed} actions. Idempotent. */
    public void destroy() {
        java.util.List<Runnable> actions;
        synchronized (this) {
            Arrays.fill(bytes, (byte) 0);
            destroyed = true;
            actions = onDestroy;
            onDestroy = null;
        }
        if (actions != null) {
            for (Runnable action : actions) {
                action.run();
            }
        }
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes" + (destroyed ? ", destroyed" : "") + "]";
    }
}
