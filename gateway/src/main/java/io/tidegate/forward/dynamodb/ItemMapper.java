package io.tidegate.forward.dynamodb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tidegate.config.DynamoDbConfig;
import io.tidegate.forward.aws.MessageKey;
import io.tidegate.outbox.OutboxEntry;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message as one DynamoDB item:
 * <ul>
 *   <li>partition key attribute: the rule action's rendered {@code partitionKey} setting, else the
 *       client id, the topic or a literal (config);</li>
 *   <li>sort key attribute: the rule action's rendered {@code sortKey} setting, else
 *       {@code <ingest epoch millis, 13 digits>#<message id>}: sorts by ingest time and is unique.
 *       Either way it was fixed when the message was stored, so it is the same on every retry and a
 *       retried write overwrites the same item;</li>
 *   <li>{@code clientId}, {@code topic}, {@code qos}, {@code messageId}, {@code ingestTime} (epoch millis);</li>
 *   <li>a JSON object payload: its fields as attributes (numbers, strings, booleans, nulls, nested
 *       maps and lists); a field whose name is taken by the attributes above is stored as
 *       {@code payload_<name>}. Any other JSON payload: attribute {@code payload} with its value.
 *       A payload that is not JSON in UTF-8: {@code payload} as binary;</li>
 *   <li>with {@code ttlSeconds} > 0, the TTL attribute: ingest time + ttl in epoch seconds.</li>
 * </ul>
 */
final class ItemMapper {

    /** DynamoDB numbers hold 38 significant digits within about 1e-130 to 1e126; others go as strings. */
    private static final int MAX_NUMBER_DIGITS = 38;
    private static final String PAYLOAD = "payload";
    /** The rule action setting that gives a message's sort key (a {@code ${...}} template rendered at routing). */
    static final String SORT_KEY_SETTING = "sortKey";

    private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private final MessageKey partitionKey;
    private final String partitionKeyAttribute;
    private final String sortKeyAttribute;
    private final long ttlSeconds;
    private final String ttlAttribute;
    private final Set<String> reserved;

    ItemMapper(DynamoDbConfig config) {
        this.partitionKey = MessageKey.of(config.partitionKey());
        this.partitionKeyAttribute = config.partitionKeyAttribute();
        this.sortKeyAttribute = config.sortKeyAttribute();
        this.ttlSeconds = config.ttlSeconds();
        this.ttlAttribute = config.ttlAttribute();
        this.reserved = Set.of(partitionKeyAttribute, sortKeyAttribute, ttlAttribute, "clientId", "topic", "qos",
                "messageId", "ingestTime", PAYLOAD);
    }

    String partitionKeyAttribute() {
        return partitionKeyAttribute;
    }

    String sortKeyAttribute() {
        return sortKeyAttribute;
    }

    /** The rule action's rendered {@code sortKey} setting when it has a non-empty one, else the default. */
    static String sortKey(OutboxEntry entry) {
        String fromRule = entry.actionSetting(SORT_KEY_SETTING);
        return fromRule == null || fromRule.isEmpty() ? defaultSortKey(entry) : fromRule;
    }

    /** {@code <ingest epoch millis, 13 digits>#<message id>}: unique per message, in ingest order. */
    static String defaultSortKey(OutboxEntry entry) {
        return String.format("%013d#%s", entry.ingestTimeMillis(), entry.messageId());
    }

    Map<String, AttributeValue> map(OutboxEntry entry) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        Map<String, AttributeValue> fields = payloadFields(entry.payload());
        if (fields != null) {
            fields.forEach((name, value) -> item.put(reserved.contains(name) ? PAYLOAD + "_" + name : name, value));
        }
        item.put(partitionKeyAttribute, AttributeValue.fromS(partitionKey.of(entry)));
        item.put(sortKeyAttribute, AttributeValue.fromS(sortKey(entry)));
        item.put("clientId", AttributeValue.fromS(entry.clientId()));
        item.put("topic", AttributeValue.fromS(entry.topic()));
        item.put("qos", AttributeValue.fromN(Integer.toString(entry.qos())));
        item.put("messageId", AttributeValue.fromS(entry.messageId().toString()));
        item.put("ingestTime", AttributeValue.fromN(Long.toString(entry.ingestTimeMillis())));
        if (fields == null) {
            AttributeValue value = jsonValue(entry.payload());
            item.put(PAYLOAD, value != null ? value : AttributeValue.fromB(SdkBytes.fromByteArray(entry.payload())));
        }
        if (ttlSeconds > 0) {
            item.put(ttlAttribute, AttributeValue.fromN(Long.toString(entry.ingestTimeMillis() / 1000 + ttlSeconds)));
        }
        return item;
    }

    /** The fields of a JSON object payload, or null when the payload is not one. */
    private Map<String, AttributeValue> payloadFields(byte[] payload) {
        AttributeValue value = jsonValue(payload);
        return value != null && value.hasM() ? value.m() : null;
    }

    /** The payload as one JSON value in strict UTF-8, or null when it is not exactly that. */
    private AttributeValue jsonValue(byte[] payload) {
        if (payload.length == 0 || !isUtf8(payload)) {
            return null;
        }
        try (JsonParser parser = json.createParser(payload)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            AttributeValue value = read(parser, first);
            return parser.nextToken() == null ? value : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
            boolean byteOrderMark = payload.length >= 3 && payload[0] == (byte) 0xEF && payload[1] == (byte) 0xBB
                    && payload[2] == (byte) 0xBF;
            return !byteOrderMark;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private AttributeValue read(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, AttributeValue> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                yield AttributeValue.fromM(map);
            }
            case START_ARRAY -> {
                List<AttributeValue> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(read(parser, t));
                }
                yield AttributeValue.fromL(list);
            }
            case VALUE_STRING -> AttributeValue.fromS(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(parser.getText());
            case VALUE_TRUE -> AttributeValue.fromBool(true);
            case VALUE_FALSE -> AttributeValue.fromBool(false);
            case VALUE_NULL -> AttributeValue.fromNul(true);
            default -> throw new IOException("unexpected JSON token " + token);
        };
    }

    private static AttributeValue number(String text) {
        BigDecimal value = new BigDecimal(text);
        BigDecimal magnitude = value.abs();
        boolean fits = value.signum() == 0 || (value.stripTrailingZeros().precision() <= MAX_NUMBER_DIGITS
                && magnitude.compareTo(new BigDecimal("1e-130")) >= 0 && magnitude.compareTo(new BigDecimal("1e126")) < 0);
        return fits ? AttributeValue.fromN(text) : AttributeValue.fromS(text);
    }
}
