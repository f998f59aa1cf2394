package org.qdht.channel.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless retry cookies: a MAC over the initiator's address and init, under a secret that
 * changes every {@code lifetimeMillis}. Only an initiator that receives packets at its claimed
 * address can echo the cookie, so a flood of inits from spoofed addresses costs the responder one
 * MAC each and no state or KEM work. The previous secret stays valid for one more period. Thread safe.
 */
final class CookieJar {
    private final SecureRandom random = new SecureRandom();
    private final long lifetimeMillis;
    private byte[] current = new byte[32];
    private byte[] previous = new byte[32];
    private long rotatedAt;

    CookieJar(long lifetimeMillis, long nowMillis) {
        this.lifetimeMillis = lifetimeMillis;
        random.nextBytes(current);
        random.nextBytes(previous);
        rotatedAt = nowMillis;
    }

    synchronized byte[] issue(String address, Packets.Init init, long nowMillis) {
        rotate(nowMillis);
        return mac(current, address, init);
    }

    synchronized boolean isValid(byte[] cookie, String address, Packets.Init init, long nowMillis) {
        rotate(nowMillis);
        if (cookie.length != Packets.COOKIE_SIZE) {
            return false;
        }
        return MessageDigest.isEqual(cookie, mac(current, address, init)) || MessageDigest.isEqual(cookie, mac(previous, address, init));
    }

    private void rotate(long nowMillis) {
        if (nowMillis - rotatedAt >= lifetimeMillis) {
            previous = current;
            current = new byte[32];
            random.nextBytes(current);
            rotatedAt = nowMillis;
        }
    }

    private static byte[] mac(byte[] secret, String address, Packets.Init init) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(address.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(init.transcriptBytes());
            return Arrays.copyOf(mac.doFinal(), Packets.COOKIE_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256", e);
        }
    }
}
