package org.qdht.node.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.qdht.api.SuiteId;
import org.qdht.api.crypto.CryptoException;
import org.qdht.api.crypto.CryptoSuite;
import org.qdht.api.crypto.KeyRotation;
import org.qdht.api.crypto.NodeIdPuzzle;
import org.qdht.api.crypto.NodeIdentity;
import org.qdht.api.node.QdhtNode;

/** Gogo commands of the {@code crypto} scope: the installed suites, switching a node's suite, identities. */
@Component(service = CryptoCommands.class, property = {
        "osgi.command.scope=crypto",
        "osgi.command.function=suites",
        "osgi.command.function=use",
        "osgi.command.function=identity"})
public class CryptoCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<CryptoSuite> suites;

    @Reference(service = NodeIdentity.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Map.Entry<Map<String, Object>, NodeIdentity>> identities;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configurationAdmin;

    @Descriptor("list the installed crypto suites and the nodes using each")
    public String suites() {
        List<CryptoSuite> all = new ArrayList<>(suites);
        if (all.isEmpty()) {
            return "no crypto suite installed: add crypto-mlkem (or another suite bundle) to the load/ folder";
        }
        all.sort(Comparator.comparing(CryptoSuite::id));
        StringBuilder out = new StringBuilder(String.format("%-28s %-6s %-12s %-19s %-18s %s%n", "SUITE", "CODE", "KEM",
                "SIGNATURE", "AEAD", "NODES"));
        for (CryptoSuite s : all) {
            List<String> users = new ArrayList<>();
            for (Map.Entry<Map<String, Object>, NodeIdentity> e : identities) {
                if (e.getValue().suite().equals(s.id())) {
                    users.add(String.valueOf(e.getKey().get(QdhtNode.NAME_PROPERTY)));
                }
            }
            out.append(String.format("%-28s 0x%04X %-12s %-19s %-18s %s%n", s.id().name(), s.id().code(), s.kem().algorithm(),
                    s.signatures().algorithm(), s.aead().algorithm(), users.isEmpty() ? "-" : String.join(",", users)));
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("switch every node to a suite (the node's configuration changes; identities rotate)")
    public String use(@Descriptor("suite name, e.g. mlkem1024-slhdsa-sha2-128f") String suite)
            throws IOException, InvalidSyntaxException {
        return use(suite, "*");
    }

    @Descriptor("switch one node to a suite (the node's configuration changes; its identity rotates)")
    public String use(@Descriptor("suite name") String suite, @Descriptor("node name, or * for all") String node)
            throws IOException, InvalidSyntaxException {
        SuiteId id;
        try {
            id = SuiteId.parse(suite);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        ConfigurationAdmin cm = configurationAdmin;
        if (cm == null) {
            return "Configuration Admin is not running";
        }
        String filter = "(&(service.factoryPid=" + QdhtNode.FACTORY_PID + ")" + ("*".equals(node) ? "" : "(name=" + node + ")") + ")";
        Configuration[] configs = cm.listConfigurations(filter);
        if (configs == null || configs.length == 0) {
            return "no node configuration matches '" + node + "'";
        }
        boolean installed = suites.stream().anyMatch(s -> s.id().equals(id));
        List<String> changed = new ArrayList<>();
        for (Configuration c : configs) {
            Dictionary<String, Object> props = c.getProperties();
            props.put("suite", id.name());
            c.update(props);
            changed.add(String.valueOf(props.get("name")));
        }
        return "nodes " + changed + " switch to " + id + (installed ? "" : " (not installed yet: they use a fallback until it is)")
                + "; see crypto:identity";
    }

    @Descriptor("show every node's identity: NodeId, suite, key, puzzle and verified rotations")
    public String identity() {
        StringBuilder out = new StringBuilder();
        List<Map.Entry<Map<String, Object>, NodeIdentity>> all = new ArrayList<>(identities);
        if (all.isEmpty()) {
            return "no node has an identity yet (see qdht:status)";
        }
        all.sort(Comparator.comparing(e -> String.valueOf(e.getKey().get(QdhtNode.NAME_PROPERTY))));
        for (Map.Entry<Map<String, Object>, NodeIdentity> e : all) {
            out.append(describe(String.valueOf(e.getKey().get(QdhtNode.NAME_PROPERTY)), e.getValue())).append('\n');
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("show one node's identity")
    public String identity(@Descriptor("node name") String node) {
        return identities.stream().filter(e -> node.equals(e.getKey().get(QdhtNode.NAME_PROPERTY))).findFirst()
                .map(e -> describe(node, e.getValue())).orElse("node '" + node + "' has no identity (see qdht:status " + node + ")");
    }

    private String describe(String node, NodeIdentity id) {
        StringBuilder out = new StringBuilder("node ").append(node).append('\n');
        out.append(String.format("  %-10s %s%n", "node id", id.nodeId().toHex()));
        out.append(String.format("  %-10s %s%n", "suite", id.suite()));
        out.append(String.format("  %-10s %s (%d bytes)%n", "key", id.signingKey().keyId().toHex(), id.signingKey().size()));
        boolean puzzleOk = NodeIdPuzzle.verify(id.nodeId(), id.puzzleNonce(), id.puzzleDifficulty());
        out.append(String.format("  %-10s %d bits, nonce %d, %s%n", "puzzle", id.puzzleDifficulty(), id.puzzleNonce(),
                puzzleOk ? "verified" : "INVALID"));
        for (KeyRotation r : id.rotations()) {
            out.append(String.format("  %-10s %s -> %s at %s: %s%n", "rotation", r.oldKey().suite(), r.newKey().suite(),
                    java.time.Instant.ofEpochMilli(r.issuedAtMillis()), verify(r)));
        }
        return out.toString();
    }

    private String verify(KeyRotation r) {
        for (CryptoSuite s : suites) {
            if (s.id().equals(r.oldKey().suite())) {
                try {
                    return s.signatures().verify(r.oldKey(), r.toBeSigned(), r.signature()) ? "signature verified" : "SIGNATURE INVALID";
                } catch (CryptoException e) {
                    return "cannot verify: " + e.getMessage();
                }
            }
        }
        return "not checked (" + r.oldKey().suite() + " is not installed)";
    }
}
