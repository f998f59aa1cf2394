package org.qdht.api.crypto;

/** What a key is for; part of the {@link org.qdht.api.KeyId} derivation so one key never serves both. */
public enum KeyPurpose {
    KEM(1),
    SIGNATURE(2);

    private final int code;

    KeyPurpose(int code) {
        this.code = code;
    }

    /** The byte that stands for this purpose on the wire. */
    public int code() {
        return code;
    }

    public static KeyPurpose ofCode(int code) {
        for (KeyPurpose p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown key purpose " + code);
    }
}
