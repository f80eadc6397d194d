package io.tidegate.forward.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The size DynamoDB counts for an item (for the 400 KB item limit and write request units), after
 * the rules in the developer guide: attribute names and string values in UTF-8 bytes, binary
 * values in bytes, numbers about one byte per two significant digits plus one, booleans and nulls
 * one byte, lists and maps three bytes plus one byte per element plus their contents.
 */
final class ItemSize {

    private ItemSize() {
    }

    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + valueSize(attribute.getValue());
        }
        return size;
    }

    private static long valueSize(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return numberSize(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArrayUnsafe().length;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> field : value.m().entrySet()) {
                size += 1 + utf8(field.getKey()) + valueSize(field.getValue());
            }
            return size;
        }
        if (value.hasL()) {
            long size = 3;
            for (AttributeValue element : value.l()) {
                size += 1 + valueSize(element);
            }
            return size;
        }
        throw new IllegalArgumentException("an attribute type the mapper does not write: " + value);
    }

    private static long numberSize(String number) {
        int digits = new BigDecimal(number).stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
