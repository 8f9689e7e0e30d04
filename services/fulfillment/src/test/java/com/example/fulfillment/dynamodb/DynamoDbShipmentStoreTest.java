package com.example.fulfillment.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.testing.LocalAws;
import com.example.fulfillment.domain.PaymentAuthorized;
import com.example.fulfillment.domain.Shipment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynamoDbShipmentStoreTest {
  private static Dynalite dynalite;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void start() {
    dynalite = Dynalite.start();
    dynamo = LocalAws.dynamoDb(dynalite.endpoint());
  }

  @AfterAll
  static void stop() {
    dynamo.close();
    dynalite.close();
  }

  @Test
  void recordOnce_shouldKeepTheFirstShipment_whenRecordedAgainLater() {
    DynamoDbShipmentStore store = new DynamoDbShipmentStore(dynamo, LocalAws.createTable(dynamo, "test-fulfillment-shipments", "order_id"));
    PaymentAuthorized order = new PaymentAuthorized("ord_AAAA1111", "pay_1", "cus_1", "a@example.com",
        List.of(new PaymentAuthorized.Item("SKU-RED-MUG", 2)), 2500, "EUR");
    Shipment first = Shipment.forOrder(order, Instant.parse("2026-11-26T10:00:00Z"));

    assertThat(store.recordOnce(first)).isEqualTo(first);
    assertThat(store.recordOnce(Shipment.forOrder(order, Instant.parse("2026-11-26T11:00:00Z")))).isEqualTo(first);
  }
}
