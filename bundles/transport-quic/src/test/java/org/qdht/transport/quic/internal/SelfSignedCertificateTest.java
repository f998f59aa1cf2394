package org.qdht.transport.quic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Key;
import java.util.Date;

import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {

    @Test
    void certificateIsValidSelfSignedP256WithItsKeyInTheStore() throws Exception {
        SelfSignedCertificate c = SelfSignedCertificate.generate();
        c.certificate().verify(c.certificate().getPublicKey()); // throws if the DER or signature is wrong
        c.certificate().checkValidity(new Date());
        assertEquals("SHA256withECDSA", c.certificate().getSigAlgName());
        assertEquals(3, c.certificate().getVersion());
        assertEquals("CN=qdht", c.certificate().getSubjectX500Principal().getName());
        Key key = c.keyStore().getKey(SelfSignedCertificate.ALIAS, c.password());
        assertEquals("EC", key.getAlgorithm());
        assertTrue(c.certificate().getSerialNumber().signum() > 0);
    }

    @Test
    void everyEndpointStartGetsItsOwnKey() throws Exception {
        assertNotEquals(SelfSignedCertificate.generate().certificate().getPublicKey(),
                SelfSignedCertificate.generate().certificate().getPublicKey());
    }
}
