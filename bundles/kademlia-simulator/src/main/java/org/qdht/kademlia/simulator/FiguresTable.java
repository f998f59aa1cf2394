package org.qdht.kademlia.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Markdown tables of lookup and get figures, for the runner and the README. */
public final class FiguresTable {
    private final List<String> lookupRows = new ArrayList<>();
    private final List<String> getRows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public void add(LookupFigures f) {
        lookupRows.add(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f%% | %.2f | %.0f | %.1f | %,.0f | %.0f | %.0f |", f.label(),
                f.liveNodes(), f.lookups(), 100 * f.successRate(), f.hops().mean(), f.hops().percentile(0.95), f.messages().mean(),
                f.bytes().mean(), f.latencyMillis().mean(), f.latencyMillis().percentile(0.95)));
    }

    public void add(GetFigures f) {
        getRows.add(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f%% | %d | %d | %d | %d | %d | %.2f | %.1f | %,.0f | %.0f | %.0f |",
                f.label(), f.liveNodes(), f.gets(), 100 * f.successRate(), f.notFound(), f.stale(), f.hijacked(), f.forgedAccepted(),
                f.forgedRefused(), f.hops().mean(), f.messages().mean(), f.bytes().mean(), f.latencyMillis().mean(),
                f.latencyMillis().percentile(0.95)));
    }

    public void note(String line) {
        notes.add(line);
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| lookups | live nodes | n | success | mean hops | p95 hops | msgs/lookup | bytes/lookup | mean ms | p95 ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        lookupRows.forEach(r -> out.append(r).append('\n'));
        if (!getRows.isEmpty()) {
            out.append('\n');
            out.append("| gets | live nodes | n | success | not found | stale | hijacked | forged accepted | forged refused | mean hops | msgs/get | bytes/get | mean ms | p95 ms |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            getRows.forEach(r -> out.append(r).append('\n'));
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }
}
