package org.qdht.crypto.bc;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;

/**
 * The {@link CryptoSuite} services of one suite bundle: registers the configured suites, one
 * service each with the suite's code and name as properties, and on a new configuration withdraws
 * the suites taken out and registers those put in, leaving the rest untouched. All suites of the
 * bundle draw from one DRBG. Thread safe.
 */
public final class SuiteRegistrations {
    private final BundleContext context;
    private final Map<SuiteId, Function<SecureRandom, CryptoSuite>> available;
    private final Consumer<String> info;
    private final Consumer<String> error;
    private final SecureRandom random = newRandom();
    private final Map<SuiteId, ServiceRegistration<CryptoSuite>> registered = new LinkedHashMap<>();

    /**
     * @param available the suites the bundle can build, in the order to register them
     * @param info      where to report suites registered and withdrawn
     * @param error     where to report configured names that are not suites of this bundle
     */
    public SuiteRegistrations(BundleContext context, Map<SuiteId, Function<SecureRandom, CryptoSuite>> available,
            Consumer<String> info, Consumer<String> error) {
        this.context = context;
        this.available = new LinkedHashMap<>(available);
        this.info = info;
        this.error = error;
    }

    /** Makes the registered suites those named in {@code names}; unknown names are reported and skipped. */
    public synchronized void apply(String[] names) {
        Set<SuiteId> wanted = new LinkedHashSet<>();
        for (String name : names) {
            try {
                SuiteId id = SuiteId.parse(name);
                if (available.containsKey(id)) {
                    wanted.add(id);
                } else {
                    error.accept(id + " is not a suite of this bundle, which offers " + available.keySet());
                }
            } catch (IllegalArgumentException e) {
                error.accept("ignoring suite '" + name + "': " + e.getMessage());
            }
        }
        registered.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().unregister();
            info.accept("suite " + e.getKey() + " withdrawn");
            return true;
        });
        for (SuiteId id : wanted) {
            if (!registered.containsKey(id)) {
                CryptoSuite suite = available.get(id).apply(random);
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(CryptoSuite.SUITE_CODE_PROPERTY, id.code());
                props.put(CryptoSuite.SUITE_NAME_PROPERTY, id.name());
                registered.put(id, context.registerService(CryptoSuite.class, suite, props));
                info.accept("suite " + id + " available: " + suite);
            }
        }
    }

    /** Withdraws every suite. */
    public synchronized void close() {
        for (ServiceRegistration<CryptoSuite> r : registered.values()) {
            r.unregister();
        }
        registered.clear();
    }

    /** A NIST SP 800-90A DRBG seeded by the platform; the platform default where there is none. */
    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
