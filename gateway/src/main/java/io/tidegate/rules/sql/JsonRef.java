package io.tidegate.rules.sql;

import io.tidegate.rules.json.JsonDocument;

/**
 * A value inside the message payload, not yet decoded: selecting it copies its bytes, comparing it
 * reads only its number. Refs are cached per node by {@link EvalContext}, so walking the payload
 * allocates nothing; a ref is valid only while its message is evaluated.
 */
final class JsonRef {

    final JsonDocument document;
    final int node;

    JsonRef(JsonDocument document, int node) {
        this.document = document;
        this.node = node;
    }

    byte type() {
        return document.type(node);
    }

    @Override
    public String toString() {
        return "JsonRef[" + node + "]";
    }
}
