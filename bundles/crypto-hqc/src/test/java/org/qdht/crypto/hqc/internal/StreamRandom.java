package org.qdht.crypto.hqc.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/** Test double of the suite's random source: a SHAKE256 stream of a label, the same on every run. */
final class StreamRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SHAKEDigest shake = new SHAKEDigest(256);

    StreamRandom(String label) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        shake.update(l, 0, l.length);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        shake.doOutput(bytes, 0, bytes.length);
    }
}
