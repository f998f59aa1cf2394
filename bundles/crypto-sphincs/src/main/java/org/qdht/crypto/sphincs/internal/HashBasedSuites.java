package org.qdht.crypto.sphincs.internal;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

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
import org.qdht.crypto.bc.SuiteRegistrations;
import org.qdht.crypto.bc.Suites;

/**
 * Offers the conservative suites, ML-KEM-1024 with SLH-DSA signatures, as {@link CryptoSuite}
 * services: security that rests on hash functions only for signatures, as a hedge against a break
 * of lattices. The configured list can change at run time.
 */
@Component(service = {}, configurationPid = "org.qdht.crypto.sphincs")
@Designate(ocd = HashBasedSuitesConfiguration.class)
public class HashBasedSuites {
    static final Map<SuiteId, Function<SecureRandom, CryptoSuite>> AVAILABLE = new LinkedHashMap<>();

    static {
        for (SuiteId id : new SuiteId[] {SuiteId.MLKEM1024_SLHDSA_SHA2_128F, SuiteId.MLKEM1024_SLHDSA_SHA2_128S,
                SuiteId.MLKEM1024_SLHDSA_SHAKE_128F, SuiteId.MLKEM1024_SLHDSA_SHAKE_128S}) {
            AVAILABLE.put(id, random -> Suites.mlKem1024SlhDsa(id, random));
        }
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private SuiteRegistrations registrations;

    @Activate
    void activate(BundleContext context, HashBasedSuitesConfiguration config) {
        registrations = new SuiteRegistrations(context, AVAILABLE, log::info, log::error);
        registrations.apply(config.suites());
    }

    @Modified
    void modified(HashBasedSuitesConfiguration config) {
        registrations.apply(config.suites());
    }

    @Deactivate
    void deactivate() {
        registrations.close();
    }
}
