package org.qdht.crypto.bc;

import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.EncodedPublicKey;
import org.qdht.api.crypto.KeyPurpose;

/** Key ids as the API defines them ({@link EncodedPublicKey#keyIdOf}). */
public final class KeyIds {
    private KeyIds() {
    }

    public static KeyId of(SuiteId suite, KeyPurpose purpose, byte[] publicKey) {
        return EncodedPublicKey.keyIdOf(suite, purpose, publicKey);
    }
}
