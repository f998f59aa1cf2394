package org.qdht.crypto.bc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.qdht.api.KeyId;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.KeyPurpose;

/** Key ids as the API defines them (see {@code CryptoSuite#keyIdOf}): the first 16 bytes of SHA-256 over a label, suite, purpose and key. */
public final class KeyIds {
    private static final byte[] LABEL = "qdht/key-id/v1".getBytes(StandardCharsets.US_ASCII);

    private KeyIds() {
    }

    public static KeyId of(SuiteId suite, KeyPurpose purpose, byte[] publicKey) {
        SHA256Digest sha = new SHA256Digest();
        sha.update(LABEL, 0, LABEL.length);
        sha.update((byte) (suite.code() >>> 8));
        sha.update((byte) suite.code());
        sha.update((byte) purpose.code());
        sha.update(publicKey, 0, publicKey.length);
        byte[] out = new byte[32];
        sha.doFinal(out, 0);
        return KeyId.of(Arrays.copyOf(out, KeyId.LENGTH));
    }
}
