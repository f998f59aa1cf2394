package org.qdht.node.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.qdht.api.node.NodeStatus;
import org.qdht.api.node.QdhtNode;
import org.qdht.api.routing.PublishedRecord;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;

/** Gogo commands of the {@code qdht} scope for the nodes running in this framework. */
@Component(service = NodeCommands.class, property = {
        "osgi.command.scope=qdht",
        "osgi.command.function=nodes",
        "osgi.command.function=status",
        "osgi.command.function=create",
        "osgi.command.function=remove",
        "osgi.command.function=records"})
public class NodeCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<QdhtNode> nodes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(service = RecordStore.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Map.Entry<Map<String, Object>, RecordStore>> stores;

    @Descriptor("list the nodes running in this framework")
    public String nodes() {
        List<NodeStatus> all = statuses();
        if (all.isEmpty()) {
            return "no nodes configured: drop an org.qdht.node-<name>.cfg file into load/, or run qdht:create <name>";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATE", "MODE", "NODE ID", "SUITE", "ROUTING", "ADDRESSES"});
        for (NodeStatus s : all) {
            rows.add(new String[] {s.name(), s.state().name(), s.mode().name(),
                    s.nodeId().map(id -> id.toShortString()).orElse("-"),
                    s.activeSuite().map(Object::toString).orElse("none"),
                    s.routing().orElse("none"),
                    s.addresses().isEmpty() ? "-" : s.addresses().toString()});
        }
        return table(rows) + all.size() + (all.size() == 1 ? " node" : " nodes");
    }

    @Descriptor("show the full status of every node")
    public String status() {
        List<NodeStatus> all = statuses();
        if (all.isEmpty()) {
            return nodes();
        }
        StringBuilder out = new StringBuilder();
        for (NodeStatus s : all) {
            out.append(describe(s)).append('\n');
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("show the full status of one node")
    public String status(@Descriptor("node name") String name) {
        return find(name).map(n -> describe(n.status())).orElseGet(() -> "no node named '" + name + "'; running: " + names());
    }

    @Descriptor("create a node (a factory configuration of org.qdht.node) in server mode")
    public String create(@Descriptor("node name") String name) throws IOException, InvalidSyntaxException {
        return create(name, "SERVER");
    }

    @Descriptor("create a node (a factory configuration of org.qdht.node)")
    public String create(@Descriptor("node name") String name, @Descriptor("SERVER or CLIENT") String mode)
            throws IOException, InvalidSyntaxException {
        ConfigurationAdmin cm = requireConfigurationAdmin();
        if (!NodeSettings.NAME.matcher(name).matches()) {
            return "'" + name + "' is not a valid node name: use 1-32 characters of a-z, 0-9 and '-'";
        }
        if (configurationOf(cm, name).isPresent()) {
            return "a node named '" + name + "' is already configured";
        }
        Configuration c = cm.getFactoryConfiguration(QdhtNode.FACTORY_PID, name, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", name);
        props.put("mode", mode.toUpperCase(java.util.Locale.ROOT));
        c.update(props);
        return "node '" + name + "' configured; it starts in a moment (see qdht:nodes)";
    }

    @Descriptor("remove a node's configuration: the node stops, its data directory is kept")
    public String remove(@Descriptor("node name") String name) throws IOException, InvalidSyntaxException {
        Optional<Configuration> c = configurationOf(requireConfigurationAdmin(), name);
        if (c.isEmpty()) {
            return "no configuration for a node named '" + name + "'";
        }
        c.get().delete();
        return "node '" + name + "' removed; its data directory is kept";
    }

    @Descriptor("list the records a node keeps for the network: key, publisher, version, size, expiry, tombstone")
    public String records(@Descriptor("node name") String name) {
        Optional<RecordStore> store = storeOf(name);
        if (store.isEmpty()) {
            return find(name).isPresent() ? "node '" + name + "' has no record store (see qdht:status " + name + ")"
                    : "no node named '" + name + "'; running: " + names();
        }
        List<PublishedRecord> all;
        RecordStore.Limits limits;
        try {
            all = new ArrayList<>(store.get().allPublished());
            limits = store.get().limits();
        } catch (IllegalStateException closed) {
            return "the record store of node '" + name + "' closed meanwhile (node stopped or renamed)";
        }
        if (all.isEmpty()) {
            return "node '" + name + "' holds no records (" + describe(limits) + ")";
        }
        all.sort(Comparator.comparing(p -> p.record().key().toHex()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "PUBLISHER", "VERSION", "SIZE", "EXPIRES", "TOMBSTONE"});
        Instant now = Instant.now();
        for (PublishedRecord p : all) {
            Record r = p.record();
            Instant expires = Instant.ofEpochMilli(r.expiresAtMillis());
            rows.add(new String[] {NodeRecordStore.shortHex(r.key()), r.publisher().toShortString(), Long.toString(r.version()),
                    r.valueSize() + " B", expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (in "
                            + Duration.between(now, expires).toSeconds() + " s)", r.isTombstone() ? "yes" : "no"});
        }
        return table(rows) + all.size() + (all.size() == 1 ? " record" : " records") + " (" + describe(limits) + ")";
    }

    private List<NodeStatus> statuses() {
        List<NodeStatus> all = new ArrayList<>();
        for (QdhtNode n : nodes) {
            all.add(n.status());
        }
        all.sort(Comparator.comparing(NodeStatus::name));
        return all;
    }

    private Optional<RecordStore> storeOf(String name) {
        return stores.stream().filter(e -> name.equals(e.getKey().get(RecordStore.NODE_PROPERTY))).map(Map.Entry::getValue)
                .findFirst();
    }

    /** The record line of a node's status: how many records it holds and the limits that bound them. */
    private String recordsLine(String name) {
        Optional<RecordStore> store = storeOf(name);
        if (store.isEmpty()) {
            return "no record store";
        }
        try {
            return store.get().size() + " held (" + describe(store.get().limits()) + ")";
        } catch (IllegalStateException closed) {
            return "record store closed";
        }
    }

    static String describe(RecordStore.Limits limits) {
        return "maxRecords=" + limits.maxRecords() + ", maxRecordBytes=" + limits.maxValueBytes() + ", maxRecordsPerPublisher="
                + limits.maxRecordsPerPublisher();
    }

    private Optional<QdhtNode> find(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    private List<String> names() {
        return statuses().stream().map(NodeStatus::name).toList();
    }

    private ConfigurationAdmin requireConfigurationAdmin() throws IOException {
        ConfigurationAdmin cm = configurationAdmin;
        if (cm == null) {
            throw new IOException("Configuration Admin is not running: nodes cannot be created or removed from the shell");
        }
        return cm;
    }

    private static Optional<Configuration> configurationOf(ConfigurationAdmin cm, String name)
            throws IOException, InvalidSyntaxException {
        Configuration[] found = cm.listConfigurations("(&(service.factoryPid=" + QdhtNode.FACTORY_PID + ")(name=" + name + "))");
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    String describe(NodeStatus s) {
        StringBuilder out = new StringBuilder();
        out.append("node ").append(s.name()).append('\n');
        line(out, "state", s.state().name());
        line(out, "mode", s.mode().name());
        line(out, "node id", s.nodeId().map(id -> id.toHex()).orElse("none"));
        line(out, "suite", s.activeSuite().map(Object::toString).orElse("none"));
        line(out, "routing", s.routing().orElse("none"));
        line(out, "addresses", s.addresses().isEmpty() ? "none" : s.addresses().toString());
        line(out, "data", s.dataDirectory());
        line(out, "records", recordsLine(s.name()));
        line(out, "up since", s.startedAt() + " (" + Duration.between(s.startedAt(), Instant.now()).toSeconds() + " s)");
        if (s.problems().isEmpty()) {
            line(out, "problems", "none");
        } else {
            for (String p : s.problems()) {
                line(out, "missing", p);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("  %-10s %s%n", label, value));
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
