package org.qdht.transport.quic.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A fresh ECDSA P-256 key and self-signed certificate, made when an endpoint starts and never
 * written anywhere. QUIC cannot run without TLS, and TLS wants a server certificate, but in qDHT
 * TLS is only the envelope: peers prove who they are with qDHT's own post-quantum handshake on top,
 * so clients do not check this certificate and nothing private ships in the bundle. The certificate
 * is assembled in DER here (about a dozen fields) rather than pulling in a certificate library.
 */
final class SelfSignedCertificate {
    static final String ALIAS = "qdht-quic";
    /** Kwik cannot always derive the curve from a JDK key, so it is named. */
    static final String CURVE = "secp256r1";

    private static final byte[] ECDSA_WITH_SHA256 = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final KeyStore keyStore;
    private final char[] password;
    private final X509Certificate certificate;

    private SelfSignedCertificate(KeyStore keyStore, char[] password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    static SelfSignedCertificate generate() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(CURVE), random);
        KeyPair keys = generator.generateKeyPair();

        Instant now = Instant.now();
        byte[] name = sequence(set(sequence(tlv(0x06, COMMON_NAME), tlv(0x0C, "qdht".getBytes(StandardCharsets.UTF_8)))));
        byte[] algorithm = sequence(tlv(0x06, ECDSA_WITH_SHA256));
        byte[] tbs = sequence(
                tlv(0xA0, tlv(0x02, new byte[] {2})),                       // version 3
                tlv(0x02, new BigInteger(63, random).add(BigInteger.ONE).toByteArray()), // positive serial
                algorithm,
                name,
                sequence(utcTime(now.minus(Duration.ofDays(1))), utcTime(now.plus(Duration.ofDays(365)))),
                name,
                keys.getPublic().getEncoded());                               // SubjectPublicKeyInfo
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bitString = new byte[signature.length + 1];                   // leading 0: no unused bits
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        byte[] der = sequence(tbs, algorithm, tlv(0x03, bitString));

        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        byte[] secret = new byte[12];
        random.nextBytes(secret);
        char[] password = Base64.getEncoder().encodeToString(secret).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException impossible) {
            throw new GeneralSecurityException("cannot create an empty key store", impossible);
        }
        store.setKeyEntry(ALIAS, keys.getPrivate(), password, new Certificate[] {certificate});
        return new SelfSignedCertificate(store, password, certificate);
    }

    KeyStore keyStore() {
        return keyStore;
    }

    char[] password() {
        return password.clone();
    }

    X509Certificate certificate() {
        return certificate;
    }

    private static byte[] utcTime(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    /** One DER tag-length-value; lengths in short form below 128, else long form. */
    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length <= 0xFF) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
