package io.tidegate.config;

/**
 * A DynamoDB destination: one item per message.
 *
 * @param table                 table name
 * @param partitionKey          value of the partition key: {@code clientid} (default), {@code topic}, or any
 *                              other text used as it is
 * @param partitionKeyAttribute name of the table's partition key attribute (string)
 * @param sortKeyAttribute      name of the table's sort key attribute (string): ingest time + message id, or a
 *                              rule action's rendered {@code sortKey} setting
 * @param ttlSeconds            when above 0, items carry {@code ttlAttribute} = ingest time + this (epoch seconds)
 * @param ttlAttribute          name of the TTL attribute
 */
public record DynamoDbConfig(String table, String partitionKey, String partitionKeyAttribute, String sortKeyAttribute,
                             Long ttlSeconds, String ttlAttribute) {

    public DynamoDbConfig {
        partitionKey = partitionKey == null ? KeySource.CLIENT_ID : partitionKey;
        partitionKeyAttribute = partitionKeyAttribute == null ? "pk" : partitionKeyAttribute;
        sortKeyAttribute = sortKeyAttribute == null ? "sk" : sortKeyAttribute;
        ttlSeconds = ttlSeconds == null ? 0L : ttlSeconds;
        ttlAttribute = ttlAttribute == null ? "ttl" : ttlAttribute;
    }
}
