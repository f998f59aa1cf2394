package org.qdht.node.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.qdht.api.PeerAddress;
import org.qdht.api.SuiteId;
import org.qdht.api.node.NodeMode;
import org.qdht.api.routing.Record;
import org.qdht.api.routing.RecordStore;

/**
 * A node's configuration after validation. Building one from a {@link NodeConfiguration} either
 * succeeds or fails with an {@link InvalidSettingException} that names the bad setting and says what
 * is allowed, so a typo in a {@code .cfg} file is reported, not silently defaulted.
 */
record NodeSettings(String name, NodeMode mode, int listenPort, List<PeerAddress> bootstrapPeers, SuiteId suite,
        List<SuiteId> fallbackSuites, int puzzleDifficulty, char[] identityPassphrase, RecordStore.Limits recordLimits) {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    /** Records are held in memory too: beyond this a node would rather need a database than a bigger limit. */
    static final int MAX_RECORDS_LIMIT = 1_000_000;

    /** A configuration value that is not allowed. */
    static final class InvalidSettingException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSettingException(String setting, String problem) {
            super("node setting '" + setting + "': " + problem);
        }
    }

    static NodeSettings from(NodeConfiguration config) throws InvalidSettingException {
        String name = config.name() == null ? "" : config.name().trim();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidSettingException("name", "'" + name + "' is not 1-32 characters of a-z, 0-9 and '-' "
                    + "starting with a letter or digit");
        }
        NodeMode mode;
        try {
            mode = NodeMode.valueOf(config.mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidSettingException("mode", "'" + config.mode() + "' is neither SERVER nor CLIENT");
        }
        int port = config.listenPort();
        if (port < 0 || port > 65_535) {
            throw new InvalidSettingException("listenPort", port + " is outside 0-65535");
        }
        List<PeerAddress> peers = new ArrayList<>();
        for (String peer : config.bootstrapPeers()) {
            if (peer == null || peer.isBlank()) {
                continue;
            }
            try {
                peers.add(PeerAddress.parse(peer.trim()));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("bootstrapPeers", e.getMessage());
            }
        }
        SuiteId suite;
        try {
            suite = SuiteId.parse(config.suite());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidSettingException("suite", e.getMessage());
        }
        List<SuiteId> fallbacks = new ArrayList<>();
        for (String fallback : config.fallbackSuites()) {
            if (fallback == null || fallback.isBlank()) {
                continue;
            }
            try {
                fallbacks.add(SuiteId.parse(fallback));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("fallbackSuites", e.getMessage());
            }
        }
        int difficulty = config.puzzleDifficulty();
        if (difficulty < 0 || difficulty > org.qdht.api.crypto.NodeIdPuzzle.MAX_DIFFICULTY) {
            throw new InvalidSettingException("puzzleDifficulty", difficulty + " is outside 0-"
                    + org.qdht.api.crypto.NodeIdPuzzle.MAX_DIFFICULTY);
        }
        String passphrase = config.identityPassphrase() == null ? "" : config.identityPassphrase();
        return new NodeSettings(name, mode, port, List.copyOf(peers), suite, List.copyOf(fallbacks), difficulty,
                passphrase.toCharArray(), recordLimits(config));
    }

    private static RecordStore.Limits recordLimits(NodeConfiguration config) throws InvalidSettingException {
        int maxRecords = within("maxRecords", config.maxRecords(), 1, MAX_RECORDS_LIMIT);
        int maxBytes = within("maxRecordBytes", config.maxRecordBytes(), 0, Record.MAX_VALUE_SIZE);
        int perPublisher = within("maxRecordsPerPublisher", config.maxRecordsPerPublisher(), 1, MAX_RECORDS_LIMIT);
        return new RecordStore.Limits(maxRecords, maxBytes, perPublisher);
    }

    private static int within(String setting, int value, int min, int max) throws InvalidSettingException {
        if (value < min || value > max) {
            throw new InvalidSettingException(setting, value + " is outside " + min + "-" + max);
        }
        return value;
    }
}
