package org.qdht.benchmarks.channel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.BundleRevision;

/**
 * An Apache Felix framework in this JVM, with the real qDHT bundles from the local Maven repository
 * and a fresh, temporary storage directory.
 *
 * <p>The class space: the benchmark talks to the nodes through API types only ({@code org.qdht.api.*}).
 * Those classes are on this JVM's class path (the jar shades the API artifact), and the system
 * bundle exports them with {@code org.osgi.framework.system.packages.extra}, at the versions the API
 * bundle's own {@code Export-Package} gives (read from its jar in the repository). The API bundle
 * is therefore not installed: the system bundle plays its part, and the qDHT bundles import
 * {@code org.qdht.api.*} from it, so a {@code SecureChannels} got from the framework is the same
 * {@code SecureChannels} class the benchmark was compiled against, and a {@code SessionMessageHandler}
 * the benchmark registers is one the channel bundle can call. {@link #checkApiWiring()} verifies it.
 * Everything else (ConfigAdmin, the OSGi Log, SCR) stays inside the framework; ConfigAdmin is used
 * through reflection so that no {@code org.osgi.service.cm} class crosses the boundary.
 */
final class EmbeddedFelix implements AutoCloseable {
    /** One jar of the local repository. */
    record Artifact(String groupId, String artifactId, String version, Path jar) {
        static Artifact of(String coordinates, Path repository) {
            String[] p = coordinates.trim().split(":");
            if (p.length != 3) {
                throw new IllegalArgumentException("not groupId:artifactId:version: " + coordinates);
            }
            Path jar = repository.resolve(p[0].replace('.', '/')).resolve(p[1]).resolve(p[2]).resolve(p[1] + "-" + p[2] + ".jar");
            return new Artifact(p[0], p[1], p[2], jar);
        }

        boolean exists() {
            return Files.isRegularFile(jar);
        }

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    /** The jars named in {@code bundles.properties} (filled in by the build). */
    static final class Plan {
        final Path repository;
        final Artifact api;
        final List<Artifact> core = new ArrayList<>();
        final List<Artifact> quic = new ArrayList<>();

        Plan(Path repository) throws IOException {
            this.repository = repository;
            Properties p = new Properties();
            try (InputStream in = EmbeddedFelix.class.getResourceAsStream("bundles.properties")) {
                if (in == null) {
                    throw new IllegalStateException("bundles.properties is missing from the jar");
                }
                p.load(in);
            }
            api = Artifact.of(p.getProperty("api"), repository);
            for (String c : p.getProperty("core").split(",")) {
                core.add(Artifact.of(c, repository));
            }
            for (String c : p.getProperty("quic").split(",")) {
                quic.add(Artifact.of(c, repository));
            }
        }

        List<Artifact> missingCore() {
            return Stream.concat(Stream.of(api), core.stream()).filter(a -> !a.exists()).toList();
        }

        List<Artifact> missingQuic() {
            return quic.stream().filter(a -> !a.exists()).toList();
        }
    }

    private final Framework framework;
    private final Path storage;
    private final List<Bundle> installed = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    private EmbeddedFelix(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /** Starts Felix with {@code bundles} installed and started, in that order. */
    static EmbeddedFelix start(Plan plan, List<Artifact> bundles) throws Exception {
        Path storage = Files.createTempDirectory("qdht-channel-bench-");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports(plan.api.jar()));
        config.put("felix.log.level", "1");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        Framework framework = factory.newFramework(config);
        framework.init();
        framework.start();
        EmbeddedFelix felix = new EmbeddedFelix(framework, storage);
        try {
            BundleContext bc = framework.getBundleContext();
            for (Artifact a : bundles) {
                felix.installed.add(bc.installBundle(a.jar().toUri().toString()));
            }
            for (Bundle b : felix.installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    try {
                        b.start();
                    } catch (BundleException e) {
                        throw new IllegalStateException("bundle " + b.getSymbolicName() + " does not start: " + e.getMessage(), e);
                    }
                }
            }
        } catch (Exception e) {
            felix.close();
            throw e;
        }
        return felix;
    }

    /**
     * The API bundle's {@code Export-Package} clauses without their {@code uses:=} directives (the
     * system bundle's class loader has the whole API anyway).
     */
    static String apiExports(Path apiJar) throws IOException {
        Manifest m;
        try (JarFile jar = new JarFile(apiJar.toFile())) {
            m = jar.getManifest();
        }
        String exports = m.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        if (exports == null) {
            throw new IllegalStateException(apiJar + " has no Export-Package: not the API bundle?");
        }
        List<String> clauses = new ArrayList<>();
        for (String clause : splitClauses(exports)) {
            List<String> parts = new ArrayList<>();
            for (String part : splitOutsideQuotes(clause, ';')) {
                if (!part.trim().startsWith("uses:=")) {
                    parts.add(part.trim());
                }
            }
            clauses.add(String.join(";", parts));
        }
        return String.join(",", clauses);
    }

    private static List<String> splitClauses(String header) {
        return splitOutsideQuotes(header, ',');
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Checks that every qDHT bundle gets {@code org.qdht.api.*} from the system bundle, i.e. from the
     * classes this benchmark uses; returns one line per bundle.
     */
    List<String> checkApiWiring() {
        List<String> lines = new ArrayList<>();
        for (Bundle b : installed) {
            if (!b.getSymbolicName().startsWith("org.qdht.")) {
                continue;
            }
            BundleWiring wiring = b.adapt(BundleWiring.class);
            if (wiring == null) {
                throw new IllegalStateException(b.getSymbolicName() + " is not resolved");
            }
            List<String> fromElsewhere = new ArrayList<>();
            int fromSystem = 0;
            for (BundleWire w : wiring.getRequiredWires(BundleRevision.PACKAGE_NAMESPACE)) {
                Object pkg = w.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE);
                if (pkg instanceof String s && s.startsWith("org.qdht.api")) {
                    if (w.getProvider().getBundle().getBundleId() == 0) {
                        fromSystem++;
                    } else {
                        fromElsewhere.add(s + " from " + w.getProvider().getSymbolicName());
                    }
                }
            }
            if (!fromElsewhere.isEmpty()) {
                throw new IllegalStateException(b.getSymbolicName() + " does not share the benchmark's API classes: "
                        + fromElsewhere);
            }
            lines.add(b.getSymbolicName() + ": " + fromSystem + " API packages from the system bundle");
        }
        return lines;
    }

    // ---- ConfigAdmin, through reflection ------------------------------------------------------

    private Object configAdmin() throws Exception {
        ServiceReference<?> ref = await(() -> Optional.ofNullable(context().getServiceReference("org.osgi.service.cm.ConfigurationAdmin")),
                "ConfigurationAdmin", 30_000);
        return context().getService(ref);
    }

    private static Class<?> type(Object service, String name) throws ClassNotFoundException {
        return service.getClass().getClassLoader().loadClass(name);
    }

    /** Creates a factory configuration of {@code factoryPid} with {@code properties}; returns it. */
    Object createFactoryConfiguration(String factoryPid, Map<String, Object> properties) throws Exception {
        Object cm = configAdmin();
        Class<?> cmType = type(cm, "org.osgi.service.cm.ConfigurationAdmin");
        Object c = invoke(cmType.getMethod("createFactoryConfiguration", String.class, String.class), cm, factoryPid, "?");
        update(c, properties);
        return c;
    }

    /** Sets the singleton configuration {@code pid}. */
    void configure(String pid, Map<String, Object> properties) throws Exception {
        Object cm = configAdmin();
        Class<?> cmType = type(cm, "org.osgi.service.cm.ConfigurationAdmin");
        Object c = invoke(cmType.getMethod("getConfiguration", String.class, String.class), cm, pid, "?");
        update(c, properties);
    }

    private static void update(Object configuration, Map<String, Object> properties) throws Exception {
        Class<?> cType = type(configuration, "org.osgi.service.cm.Configuration");
        Dictionary<String, Object> d = new Hashtable<>(properties);
        invoke(cType.getMethod("update", Dictionary.class), configuration, d);
    }

    private static Object invoke(Method m, Object target, Object... args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    // ---- services ---------------------------------------------------------------------------

    /** The services of {@code type} whose properties match {@code filter}, as this JVM's classes. */
    <T> List<T> services(Class<T> type, String filter) throws InvalidSyntaxException {
        List<T> out = new ArrayList<>();
        List<ServiceReference<T>> refs = new ArrayList<>(context().getServiceReferences(type, filter));
        refs.sort(Comparator.naturalOrder());
        for (ServiceReference<T> r : refs) {
            T s = context().getService(r);
            if (s != null) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            ServiceReference<?>[] all = context().getAllServiceReferences(type.getName(), filter);
            if (all != null && all.length > 0) {
                throw new IllegalStateException(all.length + " " + type.getSimpleName() + " service(s) match " + filter
                        + " but from another class space than the benchmark's: the API is not shared");
            }
        }
        return out;
    }

    <T> ServiceRegistration<T> register(Class<T> type, T service, Map<String, Object> properties) {
        ServiceRegistration<T> r = context().registerService(type, service, new Hashtable<>(properties));
        registrations.add(r);
        return r;
    }

    interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    /** Polls {@code probe} every 50 ms until it gives a value. */
    static <T> T await(Probe<T> probe, String what, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                Optional<T> v = probe.get();
                if (v.isPresent()) {
                    return v.get();
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("timed out after " + timeoutMillis + " ms waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"), last);
    }

    /** Bundles that are installed but not active: the usual reason a service never shows up. */
    List<String> inactiveBundles() {
        return Arrays.stream(context().getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")").toList();
    }

    @Override
    public void close() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        // configurations are not deleted: the framework stops every node with its bundles, and the
        // storage directory goes
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println("Felix did not stop cleanly: " + e);
        }
        deleteQuietly(storage);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it eventually
        }
    }
}
