package org.qdht.onion.core;

import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 over a slice of an array: the header MAC and LIONESS's keyed hash. The JDK's
 * implementation, not Bouncy Castle's: the JVM compiles SHA-256 to the processor's SHA
 * instructions where they exist, and LIONESS hashes the whole 16 KiB payload twice per hop.
 */
final class HmacSha256 {
    static final int SIZE = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private HmacSha256() {
    }

    static byte[] mac(byte[] key, byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(data, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has " + ALGORITHM, e);
        }
    }
}
