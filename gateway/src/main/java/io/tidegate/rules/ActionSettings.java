package io.tidegate.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An action's settings (e.g. a Kinesis {@code partitionKey}) rendered for the current message, in
 * the order configured. Read during {@link RouteSink#deliver}; the object is reused afterwards.
 */
public interface ActionSettings {

    /** No settings: the default destination, and actions configured without any. */
    ActionSettings NONE = new ActionSettings() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public String name(int index) {
            throw new IndexOutOfBoundsException(index);
        }

        @Override
        public String value(int index) {
            throw new IndexOutOfBoundsException(index);
        }
    };

    int size();

    String name(int index);

    /** The rendered value of setting {@code index}. */
    String value(int index);

    /** The rendered value of the setting called {@code name}, or {@code null}. */
    default String get(String name) {
        for (int i = 0; i < size(); i++) {
            if (name(i).equals(name)) {
                return value(i);
            }
        }
        return null;
    }

    /** A copy, for keeping beyond the delivery. */
    default Map<String, String> toMap() {
        Map<String, String> copy = new LinkedHashMap<>();
        for (int i = 0; i < size(); i++) {
            copy.put(name(i), value(i));
        }
        return Collections.unmodifiableMap(copy);
    }
}
