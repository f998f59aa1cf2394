package org.qdht.crypto.mlkem.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import org.qdht.crypto.bc.Suites;

/**
 * Registers the lattice suites as {@link CryptoSuite} services, one per suite, with the suite's
 * code and name as service properties. The configured list can change at run time: suites taken
 * out are unregistered, suites put back registered, the rest stay untouched. All suites draw from
 * one DRBG of this bundle.
 */
@Component(service = {}, configurationPid = "org.qdht.crypto.mlkem")
@Designate(ocd = LatticeSuitesConfiguration.class)
public class LatticeSuites {
    /** The suites this bundle can build, by assigned id. */
    static final Map<SuiteId, Function<SecureRandom, CryptoSuite>> AVAILABLE = new LinkedHashMap<>();

    static {
        AVAILABLE.put(SuiteId.XWING_MLDSA65, Suites::xwingMlDsa65);
        AVAILABLE.put(SuiteId.MLKEM512_MLDSA44, Suites::mlKem512MlDsa44);
        AVAILABLE.put(SuiteId.MLKEM768_MLDSA65, Suites::mlKem768MlDsa65);
        AVAILABLE.put(SuiteId.MLKEM1024_MLDSA87, Suites::mlKem1024MlDsa87);
    }

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final Map<SuiteId, ServiceRegistration<CryptoSuite>> registered = new LinkedHashMap<>();
    private BundleContext context;
    private SecureRandom random;

    @Activate
    void activate(BundleContext bundleContext, LatticeSuitesConfiguration config) {
        context = bundleContext;
        random = newRandom();
        apply(config);
    }

    @Modified
    void modified(LatticeSuitesConfiguration config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        for (ServiceRegistration<CryptoSuite> r : registered.values()) {
            r.unregister();
        }
        registered.clear();
    }

    private synchronized void apply(LatticeSuitesConfiguration config) {
        Set<SuiteId> wanted = new LinkedHashSet<>();
        for (String name : config.suites()) {
            SuiteId id;
            try {
                id = SuiteId.parse(name);
            } catch (IllegalArgumentException e) {
                log.error("lattice suites: ignoring '{}': {}", name, e.getMessage());
                continue;
            }
            if (!AVAILABLE.containsKey(id)) {
                log.error("lattice suites: {} is not a suite of this bundle; it offers {}", id, AVAILABLE.keySet());
                continue;
            }
            wanted.add(id);
        }
        registered.entrySet().removeIf(e -> {
            if (!wanted.contains(e.getKey())) {
                e.getValue().unregister();
                log.info("suite {} withdrawn", e.getKey());
                return true;
            }
            return false;
        });
        for (SuiteId id : wanted) {
            if (!registered.containsKey(id)) {
                CryptoSuite suite = AVAILABLE.get(id).apply(random);
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(CryptoSuite.SUITE_CODE_PROPERTY, id.code());
                props.put(CryptoSuite.SUITE_NAME_PROPERTY, id.name());
                registered.put(id, context.registerService(CryptoSuite.class, suite, props));
                log.info("suite {} available: {}", id, suite);
            }
        }
    }

    /** A NIST SP 800-90A DRBG seeded by the platform; falls back to the platform default. */
    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
