package com.example.inventory.dynamodb;

import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Loads starting stock ({@code {"SKU-RED-MUG": 100, ...}}, default {@code services/inventory/local/stock.json})
 * into the stock table. A sku already in the table is left alone, so seeding twice never resets
 * stock that orders have reserved.
 *
 * <p>{@code java ... StockSeeder [stock.json]} with {@code TABLE_STOCK} (and {@code AWS_ENDPOINT_URL}
 * for the local runtime) in the environment; the local runtime calls {@link #seed(Path)} directly.
 */
public final class StockSeeder {
  /** Relative to the repository root. */
  public static final Path DEFAULT_FILE = Path.of("services", "inventory", "local", "stock.json");

  private final DynamoDbClient dynamo;
  private final String table;

  public StockSeeder(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  public static void main(String[] args) {
    Path file = args.length > 0 ? Path.of(args[0]) : DEFAULT_FILE;
    int created = new StockSeeder(AwsClients.fromEnvironment().dynamoDb(), FunctionEnvironment.table("stock")).seed(file);
    System.out.println("seeded " + created + " skus from " + file);
  }

  /** Reads the file and seeds it; returns how many skus were created. */
  public int seed(Path file) {
    try {
      return seed(EventJson.mapper().readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, Long>>() { }));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read stock file " + file, e);
    }
  }

  /** Creates each sku with its quantity available unless it exists; returns how many were created. */
  public int seed(Map<String, Long> quantities) {
    int created = 0;
    for (Map.Entry<String, Long> e : quantities.entrySet()) {
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("negative stock for " + e.getKey());
      }
      try {
        dynamo.putItem(r -> r.tableName(table)
            .item(Map.of(
                DynamoDbStockLedger.SKU, AttributeValue.fromS(e.getKey()),
                DynamoDbStockLedger.AVAILABLE, AttributeValue.fromN(Long.toString(e.getValue()))))
            .conditionExpression("attribute_not_exists(sku)"));
        created++;
      } catch (ConditionalCheckFailedException alreadyThere) {
        // Keep the live count.
      }
    }
    return created;
  }
}
