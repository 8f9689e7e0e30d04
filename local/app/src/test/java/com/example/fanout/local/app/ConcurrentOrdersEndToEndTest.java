package com.example.fanout.local.app;

import static com.example.fanout.local.app.SagaPlatform.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.app.OrdersApi.Line;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Many customers racing for a few units: the conditional reservation never oversells. */
@ExtendWith(SagaPlatform.Lifecycle.class)
class ConcurrentOrdersEndToEndTest {
  private static final String SKU = "SKU-E2E-LIMITED";
  private static final int ORDERS = 200;

  @Test
  void concurrentOrders_shouldNeverOversell_andAllEnd_whenTwoHundredRaceForFiftyUnits() throws Exception {
    LocalPlatform platform = SagaPlatform.get();
    OrdersApi api = SagaPlatform.api();
    long initial = SagaPlatform.TEST_STOCK.get(SKU);
    JsonNode body = OrdersApi.order("cus_race", "race@example.com", "web", "tok_visa_ok", List.of(new Line(SKU, 1, 1000)));

    List<String> orderIds = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<OrdersApi.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < ORDERS; i++) {
        answers.add(pool.submit(() -> api.place(body, UUID.randomUUID().toString())));
      }
      for (Future<OrdersApi.Answer> f : answers) {
        OrdersApi.Answer answer = f.get();
        assertThat(answer.status()).as("POST /orders: %s", answer.body()).isEqualTo(201);
        orderIds.add(answer.orderId());
      }
    }
    assertThat(Set.copyOf(orderIds)).hasSize(ORDERS);

    Map<String, String> finalStatus = new ConcurrentHashMap<>();
    try (DynamoDbClient dynamo = SagaApp.dynamoDb(platform)) {
      await(Duration.ofSeconds(100), "every order at an end", () -> {
        for (String id : orderIds) {
          if (!finalStatus.containsKey(id)) {
            String status = api.get(id).orElseThrow().path("status").asText();
            if (OrdersApi.isTerminal(status)) {
              finalStatus.put(id, status);
            }
          }
        }
        assertThat(SagaPlatform.available(dynamo, SKU)).as("stock never goes below zero").isGreaterThanOrEqualTo(0);
        return finalStatus.size() == ORDERS;
      });

      long reserved = 0;
      for (String id : orderIds) {
        var reservation = SagaPlatform.item(dynamo, "inventory-reservations", "order_id", id);
        if (reservation.isPresent() && "RESERVED".equals(reservation.get().get("status").s())) {
          for (AttributeValue line : reservation.get().get("lines").l()) {
            if (SKU.equals(line.m().get("sku").s())) {
              reserved += Long.parseLong(line.m().get("quantity").n());
            }
          }
        }
      }
      assertThat(reserved).as("reserved units == initial stock").isEqualTo(initial);
      assertThat(SagaPlatform.available(dynamo, SKU)).isZero();
      assertThat(finalStatus.values().stream().filter("SHIPPED"::equals).count()).isEqualTo(initial);
      assertThat(finalStatus.values().stream().filter("REJECTED"::equals).count()).isEqualTo(ORDERS - initial);
    }
  }
}
