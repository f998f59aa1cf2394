package org.qdht.crypto.mlkem.internal;

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
 * Offers the lattice suites as {@link CryptoSuite} services, as many as the configuration names;
 * the list can change at run time.
 */
@Component(service = {}, configurationPid = "org.qdht.crypto.mlkem")
@Designate(ocd = LatticeSuitesConfiguration.class)
public class LatticeSuites {
    static final Map<SuiteId, Function<SecureRandom, CryptoSuite>> AVAILABLE = new LinkedHashMap<>();

    static {
        AVAILABLE.put(SuiteId.XWING_MLDSA65, Suites::xwingMlDsa65);
        AVAILABLE.put(SuiteId.MLKEM512_MLDSA44, Suites::mlKem512MlDsa44);
        AVAILABLE.put(SuiteId.MLKEM768_MLDSA65, Suites::mlKem768MlDsa65);
        AVAILABLE.put(SuiteId.MLKEM1024_MLDSA87, Suites::mlKem1024MlDsa87);
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private SuiteRegistrations registrations;

    @Activate
    void activate(BundleContext context, LatticeSuitesConfiguration config) {
        registrations = new SuiteRegistrations(context, AVAILABLE, log::info, log::error);
        registrations.apply(config.suites());
    }

    @Modified
    void modified(LatticeSuitesConfiguration config) {
        registrations.apply(config.suites());
    }

    @Deactivate
    void deactivate() {
        registrations.close();
    }
}
