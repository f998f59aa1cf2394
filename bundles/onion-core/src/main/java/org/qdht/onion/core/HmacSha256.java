package org.qdht.onion.core;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC-SHA-256 over a slice of an array: the header MAC and LIONESS's keyed hash. */
final class HmacSha256 {
    static final int SIZE = 32;

    private HmacSha256() {
    }

    static byte[] mac(byte[] key, byte[] data, int offset, int length) {
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(key));
        hmac.update(data, offset, length);
        byte[] out = new byte[SIZE];
        hmac.doFinal(out, 0);
        return out;
    }
}
