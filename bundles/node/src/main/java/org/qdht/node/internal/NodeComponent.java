package org.qdht.node.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.qdht.api.NodeId;
import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.node.NodeState;
import org.qdht.api.node.NodeStatus;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.RecordStore;
import org.qdht.api.routing.Routing;
import org.qdht.api.transport.Transport;

/**
 * One node, created for each factory configuration of {@value QdhtNode#FACTORY_PID}. It owns the
 * node's data directory and registers the node as a {@link QdhtNode} service named by its
 * configuration. What the node can do comes from the services that serve it (crypto suites, its
 * identity, routing, transports); until they are installed it reports what is missing instead of
 * pretending. Settings change live: mode, port, peers, suite and record limits through
 * {@link #modified}; a new name moves the data directory. The node's records live in its own
 * {@link NodeRecordStore}, registered as a {@link RecordStore} service, so they outlast any routing
 * provider.
 */
@Component(service = {}, configurationPid = QdhtNode.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NodeConfiguration.class, factory = true)
public class NodeComponent implements QdhtNode {
    /** Directory under the bundle's data area that holds one directory per node. */
    static final String NODES_DIRECTORY = "nodes";

    @Reference
    private NodeNames names;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private BundleContext context;
    private Instant startedAt;

    private final List<CryptoSuite> suites = new CopyOnWriteArrayList<>();

    @Reference(service = Routing.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ServiceReference<Routing>> routings;

    @Reference(service = Transport.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Map.Entry<Map<String, Object>, Transport>> transports;

    private volatile NodeSettings settings;
    private volatile DataArea dataArea;
    private volatile IdentityKeeper identity;
    private volatile NodeRecordStore records;
    private ServiceRegistration<QdhtNode> registration;
    private ServiceRegistration<RecordStore> recordsRegistration;

    /** Suites come and go with their bundles; each change may move the node's identity. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSuite(CryptoSuite suite) {
        suites.add(suite);
        reconcileIdentity();
    }

    void removeSuite(CryptoSuite suite) {
        suites.remove(suite);
        reconcileIdentity();
    }

    private void reconcileIdentity() {
        IdentityKeeper keeper = identity;
        NodeSettings s = settings;
        if (keeper != null && s != null) {
            keeper.reconcileLater(s, () -> List.copyOf(suites));
        }
    }

    @Activate
    void activate(BundleContext bundleContext, NodeConfiguration config) throws Exception {
        context = bundleContext;
        startedAt = Instant.now();
        NodeSettings s = validated(config);
        if (!names.reserve(s.name(), this)) {
            throw fail("a node named '" + s.name() + "' already runs in this framework; give each configuration its own name");
        }
        try {
            dataArea = DataArea.open(nodesRoot(), s.name());
        } catch (IOException e) {
            names.release(s.name(), this);
            throw fail("cannot open the data directory of node '" + s.name() + "': " + e.getMessage());
        }
        settings = s;
        try {
            openRecords(s);
        } catch (IOException e) {
            names.release(s.name(), this);
            throw fail("cannot open the record store of node '" + s.name() + "': " + e.getMessage());
        }
        identity = new IdentityKeeper(context, s.name(), () -> dataArea.directory(), log);
        reconcileIdentity();
        synchronized (this) {
            registration = context.registerService(QdhtNode.class, this, serviceProperties(s));
        }
        log.info("node '{}' started ({} mode, data in {}, start #{}, {} records)", s.name(), s.mode(), dataArea.directory(),
                dataArea.starts(), records.size());
    }

    @Modified
    void modified(NodeConfiguration config) throws Exception {
        NodeSettings next = validated(config);
        NodeSettings previous = settings;
        if (!next.name().equals(previous.name())) {
            closeRecords(); // its files move with the data directory; no write may land in between
            try {
                rename(previous.name(), next.name());
            } catch (Exception e) {
                reopenRecords(previous); // the directory did not move: the node keeps its store where it was
                throw e;
            }
            reopenRecords(next);
            identity.close();
            identity = new IdentityKeeper(context, next.name(), () -> dataArea.directory(), log);
        } else if (!sameLimits(previous.recordLimits(), next.recordLimits()) && records != null) {
            records.limits(next.recordLimits());
        }
        settings = next;
        reconcileIdentity();
        synchronized (this) {
            if (registration != null) {
                registration.setProperties(serviceProperties(next));
            }
        }
        log.info("node '{}' reconfigured: {}", next.name(), describeChange(previous, next));
    }

    @Deactivate
    void deactivate() {
        IdentityKeeper keeper = identity;
        if (keeper != null) {
            keeper.close();
        }
        synchronized (this) {
            if (registration != null) {
                registration.unregister();
                registration = null;
            }
        }
        closeRecords();
        NodeSettings s = settings;
        names.release(s.name(), this);
        log.info("node '{}' stopped; its data stays in {}", s.name(), dataArea.directory());
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public NodeStatus status() {
        NodeSettings s = settings;
        List<String> problems = new ArrayList<>();

        Optional<LocalIdentity> own = identity.current();
        Optional<SuiteId> active = own.map(LocalIdentity::suite);
        Optional<NodeId> nodeId = own.map(LocalIdentity::nodeId);
        if (suites.isEmpty()) {
            problems.add("no crypto suite installed: add a suite bundle (crypto-mlkem) to the load/ folder");
        }
        identity.problem().ifPresent(p -> problems.add(own.isPresent() ? p : "no identity yet: " + p));
        if (records == null) {
            problems.add("no record store: it could not be opened in " + dataArea.directory() + " (see the log)");
        }

        Optional<String> routing = routings.stream().filter(r -> servesThisNode(r, s.name()))
                .map(r -> String.valueOf(r.getProperty(Routing.ALGORITHM_PROPERTY))).findFirst();
        if (routing.isEmpty()) {
            problems.add("no routing: add a routing bundle (routing-kademlia) to the load/ folder");
        }

        List<PeerAddress> addresses = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, Transport> t : transports) {
            if (servesThisNode(t.getKey(), s.name())) {
                addresses.addAll(t.getValue().localAddresses());
            }
        }
        if (addresses.isEmpty()) {
            problems.add("no transport: the node cannot be reached until a transport bundle serves it");
        }

        NodeState state = problems.isEmpty() ? NodeState.RUNNING : NodeState.STARTING;
        return new NodeStatus(s.name(), state, s.mode(), nodeId, active, routing, addresses,
                dataArea.directory().toAbsolutePath().toString(), startedAt, problems);
    }

    /** The validated settings, for the shell. */
    NodeSettings settings() {
        return settings;
    }

    DataArea dataArea() {
        return dataArea;
    }

    /** The node's identity, once it has one. */
    Optional<LocalIdentity> identity() {
        return identity.current();
    }

    /** Opens the record store in the data directory and registers it for the node named in {@code s}. */
    private void openRecords(NodeSettings s) throws IOException {
        NodeRecordStore store = NodeRecordStore.open(dataArea.directory().resolve(RecordFiles.DIRECTORY), s.name(),
                s.recordLimits(), Clock.systemUTC(), problem -> log.warn("node '{}' records: {}", s.name(), problem));
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(RecordStore.NODE_PROPERTY, s.name());
        synchronized (this) {
            records = store;
            recordsRegistration = context.registerService(RecordStore.class, store, p);
        }
    }

    private void reopenRecords(NodeSettings s) {
        try {
            openRecords(s);
        } catch (IOException e) {
            log.error("node '{}' has no record store: cannot reopen it in {}: {}", s.name(), dataArea.directory(), e.getMessage());
        }
    }

    /** Withdraws the record store (users see it go before it closes) and closes it; the files stay. */
    private void closeRecords() {
        NodeRecordStore store;
        synchronized (this) {
            if (recordsRegistration != null) {
                recordsRegistration.unregister();
                recordsRegistration = null;
            }
            store = records;
            records = null;
        }
        if (store != null) {
            store.close();
        }
    }

    private static boolean sameLimits(RecordStore.Limits a, RecordStore.Limits b) {
        return a.maxRecords() == b.maxRecords() && a.maxValueBytes() == b.maxValueBytes()
                && a.maxRecordsPerPublisher() == b.maxRecordsPerPublisher();
    }

    private void rename(String from, String to) throws Exception {
        if (!names.reserve(to, this)) {
            throw fail("cannot rename node '" + from + "' to '" + to + "': that name is in use");
        }
        try {
            dataArea = dataArea.renameTo(to);
        } catch (IOException e) {
            names.release(to, this);
            throw fail("cannot rename node '" + from + "' to '" + to + "': " + e.getMessage());
        }
        names.release(from, this);
    }

    private NodeSettings validated(NodeConfiguration config) throws Exception {
        try {
            return NodeSettings.from(config);
        } catch (NodeSettings.InvalidSettingException e) {
            throw fail(e.getMessage());
        }
    }

    /** Logs {@code message} as an error (the operator sees it even if SCR's own log is not shown) and returns it as an exception. */
    private IllegalStateException fail(String message) {
        log.error(message);
        return new IllegalStateException(message);
    }

    private Path nodesRoot() {
        java.io.File area = context.getDataFile(NODES_DIRECTORY);
        if (area == null) {
            throw fail("the framework gives this bundle no data area (no file system support)");
        }
        return area.toPath();
    }

    private static boolean servesThisNode(Map<String, Object> properties, String name) {
        return name.equals(properties.get(QdhtNode.NAME_PROPERTY));
    }

    private static boolean servesThisNode(ServiceReference<?> reference, String name) {
        return name.equals(reference.getProperty(QdhtNode.NAME_PROPERTY));
    }

    private static Dictionary<String, Object> serviceProperties(NodeSettings s) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(QdhtNode.NAME_PROPERTY, s.name());
        p.put(QdhtNode.MODE_PROPERTY, s.mode().name());
        p.put(QdhtNode.LISTEN_PORT_PROPERTY, s.listenPort());
        return p;
    }

    private static String describeChange(NodeSettings a, NodeSettings b) {
        List<String> changes = new ArrayList<>();
        if (!a.name().equals(b.name())) {
            changes.add("name " + a.name() + " -> " + b.name());
        }
        if (a.mode() != b.mode()) {
            changes.add("mode " + a.mode() + " -> " + b.mode());
        }
        if (a.listenPort() != b.listenPort()) {
            changes.add("listenPort " + a.listenPort() + " -> " + b.listenPort());
        }
        if (!a.bootstrapPeers().equals(b.bootstrapPeers())) {
            changes.add("bootstrapPeers " + b.bootstrapPeers());
        }
        if (!a.suite().equals(b.suite())) {
            changes.add("suite " + a.suite() + " -> " + b.suite());
        }
        if (!sameLimits(a.recordLimits(), b.recordLimits())) {
            changes.add("record limits " + NodeCommands.describe(b.recordLimits()));
        }
        return changes.isEmpty() ? "no change" : String.join(", ", changes);
    }
}
