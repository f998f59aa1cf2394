package org.qdht.crypto.hqc.internal;

import java.security.SecureRandom;
import java.util.Map;
import java.util.function.Function;

import org.bouncycastle.crypto.params.MLDSAParameters;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.crypto.bc.Aeads;
import org.qdht.crypto.bc.BcSuite;
import org.qdht.crypto.bc.HkdfSha256;
import org.qdht.crypto.bc.MlDsa;
import org.qdht.crypto.bc.SuiteRegistrations;

/**
 * Offers the code-based suite hqc128-x25519-mldsa65 as a {@link CryptoSuite} service: key exchange
 * that rests on HQC (error-correcting codes) and X25519 instead of lattices, as a hedge against a
 * break of ML-KEM. Signatures stay ML-DSA-65. The configured list can change at run time.
 */
@Component(service = {}, configurationPid = "org.qdht.crypto.hqc")
@Designate(ocd = HqcSuitesConfiguration.class)
public class HqcSuites {
    static final Map<SuiteId, Function<SecureRandom, CryptoSuite>> AVAILABLE =
            Map.of(SuiteId.HQC128_X25519_MLDSA65, HqcSuites::hqc128X25519MlDsa65);

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private SuiteRegistrations registrations;

    /** HQC-128 + X25519, ML-DSA-65, ChaCha20-Poly1305, HKDF-SHA-256; all randomness from {@code random}. */
    static CryptoSuite hqc128X25519MlDsa65(SecureRandom random) {
        SuiteId id = SuiteId.HQC128_X25519_MLDSA65;
        return new BcSuite(id, new HqcX25519(id, random), new MlDsa(id, MLDSAParameters.ml_dsa_65, random),
                Aeads.chaCha20Poly1305(), new HkdfSha256());
    }

    @Activate
    void activate(BundleContext context, HqcSuitesConfiguration config) {
        registrations = new SuiteRegistrations(context, AVAILABLE, log::info, log::error);
        registrations.apply(config.suites());
    }

    @Modified
    void modified(HqcSuitesConfiguration config) {
        registrations.apply(config.suites());
    }

    @Deactivate
    void deactivate() {
        registrations.close();
    }
}
