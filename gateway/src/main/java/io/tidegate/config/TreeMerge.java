package io.tidegate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Layers one config tree over another: mappings merge key by key, everything else (lists, scalars,
 * explicit nulls) replaces. Lists replace rather than append so a file can narrow a default policy.
 */
final class TreeMerge {

    private TreeMerge() {
    }

    static void mergeInto(ObjectNode base, ObjectNode overlay) {
        for (Map.Entry<String, JsonNode> field : overlay.properties()) {
            JsonNode existing = base.get(field.getKey());
            JsonNode incoming = field.getValue();
            if (existing instanceof ObjectNode existingObject && incoming instanceof ObjectNode incomingObject) {
                mergeInto(existingObject, incomingObject);
            } else {
                base.set(field.getKey(), incoming.deepCopy());
            }
        }
    }
}
