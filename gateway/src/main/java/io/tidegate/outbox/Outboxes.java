package io.tidegate.outbox;

import io.tidegate.config.OutboxConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outboxes of all destinations, opened under {@code <dataDir>/outbox}. Each destination has a
 * stable small integer id (its position in {@link #all()}) so the hot path indexes arrays, not maps.
 */
public final class Outboxes implements AutoCloseable {

    private final Map<String, Outbox> byName;
    private final List<Outbox> ordered;

    private Outboxes(Map<String, Outbox> byName) {
        this.byName = Collections.unmodifiableMap(byName);
        this.ordered = List.copyOf(byName.values());
    }

    public static Path root(Path dataDir) {
        return dataDir.resolve("outbox");
    }

    public static Outboxes open(Path dataDir, Collection<String> destinations, OutboxConfig config) {
        Map<String, Outbox> opened = new LinkedHashMap<>();
        try {
            for (String name : destinations) {
                opened.put(name, Outbox.open(name, root(dataDir).resolve(name), config));
            }
        } catch (RuntimeException e) {
            opened.values().forEach(Outbox::close);
            throw e;
        }
        return new Outboxes(opened);
    }

    public Outbox get(String name) {
        Outbox outbox = byName.get(name);
        if (outbox == null) {
            throw new IllegalArgumentException("no outbox for destination " + name);
        }
        return outbox;
    }

    public int idOf(String name) {
        return ordered.indexOf(get(name));
    }

    public List<Outbox> all() {
        return ordered;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Outbox outbox : ordered) {
            try {
                outbox.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
