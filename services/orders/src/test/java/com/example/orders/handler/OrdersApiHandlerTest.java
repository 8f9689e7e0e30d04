package com.example.orders.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderIds;
import com.example.orders.domain.OrderStatus;
import com.example.orders.domain.StatusChange;
import com.example.orders.fakes.Fixtures;
import com.example.orders.fakes.InMemoryOrderStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrdersApiHandlerTest {
  private final InMemoryOrderStore store = new InMemoryOrderStore();
  private final OrdersApiHandler handler = new OrdersApiHandler(store, Fixtures.schemas(), Fixtures.CLOCK);

  private APIGatewayV2HTTPResponse post(String body, String key) {
    return handler.handleRequest(ApiRequests.post(body, key), null);
  }

  private static JsonNode body(APIGatewayV2HTTPResponse response) {
    return EventJson.parse(response.getBody());
  }

  @Test
  void primeRequests_shouldPlaceTheCatalogsSampleOrderAndReadItBack_withNoAnswerOf5xx() {
    int failed = handler.primeRequests(i -> new com.example.fanout.testing.TestLambdaContext("dev-orders-api"));

    assertThat(failed).isZero();
    assertThat(store.all()).as("one order per Idempotency-Key, placed as the sample's customer")
        .hasSize(OrdersApiHandler.PRIMING_REQUESTS)
        .allSatisfy(order -> assertThat(order.customerId()).isEqualTo(ApiRequests.CUSTOMER));
  }

  @Test
  void post_shouldCreateTheOrderWithItsEventInTheOutbox_whenValid() {
    APIGatewayV2HTTPResponse response = post(Fixtures.text("order-request.json"), null);

    assertThat(response.getStatusCode()).isEqualTo(201);
    JsonNode order = body(response);
    String id = order.get("id").asText();
    assertThat(id).matches("^ord_[A-Za-z0-9]{20}$");
    assertThat(response.getHeaders()).containsEntry("Location", "/orders/" + id).containsEntry("Content-Type", "application/json");
    assertThat(order.get("status").asText()).isEqualTo("PLACED");
    assertThat(order.get("channel").asText()).isEqualTo("web");
    assertThat(order.get("totals").get("totalCents").asLong()).isEqualTo(3299);
    assertThat(order.get("totals").get("currency").asText()).isEqualTo("EUR");
    assertThat(order.get("items").get(0).get("lineTotalCents").asLong()).isEqualTo(2500);
    assertThat(order.get("statusHistory").get(0).get("status").asText()).isEqualTo("PLACED");
    assertThat(order.get("statusHistory").get(0).get("at").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(order.has("paymentToken")).isFalse();

    assertThat(store.outbox(id)).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo("OrderPlaced");
      assertThat(event.source()).isEqualTo("com.example.orders");
      assertThat(event.correlationId()).isEqualTo(id);
      assertThat(event.id()).isEqualTo(order.get("statusHistory").get(0).get("eventId").asText());
      assertThat(event.data().get("orderId").asText()).isEqualTo(id);
      assertThat(event.data().get("paymentToken").asText()).isEqualTo("tok_visa_ok");
      assertThat(event.data().get("totalCents").asLong()).isEqualTo(3299);
    });
  }

  @Test
  void post_shouldCreateTheOrder_whenInvokedWithALambdaContext() {
    APIGatewayV2HTTPResponse response = handler.handleRequest(
        ApiRequests.post(Fixtures.text("order-request.json"), null), new com.example.orders.fakes.TestContext("dev-orders-api"));

    assertThat(response.getStatusCode()).isEqualTo(201);
  }

  @Test
  void post_shouldCreateTwoOrders_whenSentTwiceWithoutAnIdempotencyKey() {
    post(Fixtures.text("order-request.json"), null);
    post(Fixtures.text("order-request.json"), null);

    assertThat(store.all()).hasSize(2);
  }

  @Test
  void post_shouldReplayTheOriginalResponse_whenTheSameKeyAndBodyComeAgain() {
    APIGatewayV2HTTPResponse first = post(Fixtures.text("order-request.json"), "k1");
    // The same order with its fields in another order is the same body.
    ObjectNode reordered = EventJson.mapper().createObjectNode();
    ObjectNode original = Fixtures.json("order-request.json");
    java.util.List<String> names = new java.util.ArrayList<>();
    original.fieldNames().forEachRemaining(names::add);
    java.util.Collections.reverse(names);
    names.forEach(n -> reordered.set(n, original.get(n)));

    APIGatewayV2HTTPResponse again = post(EventJson.write(reordered), "k1");

    assertThat(first.getStatusCode()).isEqualTo(201);
    assertThat(again.getStatusCode()).isEqualTo(200);
    assertThat(again.getBody()).isEqualTo(first.getBody());
    assertThat(again.getHeaders()).containsEntry("Idempotent-Replayed", "true")
        .containsEntry("Location", first.getHeaders().get("Location"));
    assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
    assertThat(body(first).get("id").asText()).isEqualTo(OrderIds.fromIdempotencyKey(ApiRequests.CUSTOMER, "k1"));
    assertThat(store.all()).hasSize(1);
  }

  @Test
  void post_shouldAnswer422_whenTheKeyWasUsedForAnotherBody() {
    post(Fixtures.text("order-request.json"), "k1");
    ObjectNode other = Fixtures.json("order-request.json").put("currency", "USD");

    APIGatewayV2HTTPResponse response = post(EventJson.write(other), "k1");

    assertThat(response.getStatusCode()).isEqualTo(422);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    JsonNode problem = body(response);
    assertThat(problem.get("type").asText()).isEqualTo("https://api.example.com/problems/idempotency-key-reused");
    assertThat(problem.get("title").asText()).isEqualTo("Idempotency key already used");
    assertThat(problem.get("status").asInt()).isEqualTo(422);
    assertThat(problem.get("detail").asText()).contains("different request body");
    assertThat(store.all()).hasSize(1);
  }

  @Test
  void post_shouldAnswer400WithEveryInvalidField_whenTheOrderIsInvalid() {
    APIGatewayV2HTTPResponse response = post(Fixtures.text("order-request-invalid.json"), null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    JsonNode problem = body(response);
    assertThat(problem.get("type").asText()).isEqualTo("https://api.example.com/problems/validation-error");
    assertThat(problem.get("title").asText()).isEqualTo("Invalid request");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("detail").asText()).isEqualTo("9 fields are invalid.");
    assertThat(problem.get("instance").asText()).isEqualTo("/orders");
    assertThat(problem.get("requestId").asText()).isEqualTo("req-123");
    JsonNode errors = problem.get("errors");
    assertThat(errors).hasSize(9);
    assertThat(errors.get(0).get("field").asText()).isEqualTo("customerId");
    assertThat(errors.get(0).get("message").asText()).isEqualTo("must not be blank");
    assertThat(errors.get(1).get("field").asText()).isEqualTo("customerEmail");
    assertThat(errors.get(1).get("message").asText()).isEqualTo("must be an email address such as ada@example.com");
    assertThat(errors.get(2).get("field").asText()).isEqualTo("channel");
    assertThat(errors.get(3).get("field").asText()).isEqualTo("items[0].sku");
    assertThat(errors.get(4).get("field").asText()).isEqualTo("items[0].quantity");
    assertThat(errors.get(4).get("message").asText()).isEqualTo("must be between 1 and 1000");
    assertThat(errors.get(5).get("field").asText()).isEqualTo("items[0].unitPriceCents");
    assertThat(errors.get(6).get("field").asText()).isEqualTo("items[1].quantity");
    assertThat(errors.get(6).get("message").asText()).isEqualTo("must be a whole number");
    assertThat(errors.get(7).get("field").asText()).isEqualTo("currency");
    assertThat(errors.get(8).get("field").asText()).isEqualTo("paymentToken");
    assertThat(errors.get(8).get("message").asText()).isEqualTo("is required");
    assertThat(store.all()).isEmpty();
  }

  @Test
  void post_shouldAnswer400_whenTheBodyIsNotJson() {
    APIGatewayV2HTTPResponse response = post("{\"customerId\": ", null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    JsonNode problem = body(response);
    assertThat(problem.get("type").asText()).isEqualTo("https://api.example.com/problems/malformed-request");
    assertThat(problem.get("title").asText()).isEqualTo("Malformed request");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("detail").asText()).startsWith("The request body is not valid JSON");
    assertThat(problem.has("errors")).isFalse();
  }

  @Test
  void post_shouldAnswer400_whenTheJsonIsFollowedByMoreText() {
    APIGatewayV2HTTPResponse response = post(Fixtures.text("order-request.json") + " {}", null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(body(response).get("type").asText()).isEqualTo("https://api.example.com/problems/malformed-request");
  }

  @Test
  void post_shouldAnswer400_whenTheBodyIsEmpty() {
    APIGatewayV2HTTPResponse response = post(null, null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(body(response).get("type").asText()).isEqualTo("https://api.example.com/problems/malformed-request");
  }

  @Test
  void post_shouldAnswer400_whenTheIdempotencyKeyIsTooLong() {
    APIGatewayV2HTTPResponse response = post(Fixtures.text("order-request.json"), "k".repeat(256));

    assertThat(response.getStatusCode()).isEqualTo(400);
    JsonNode error = body(response).get("errors").get(0);
    assertThat(error.get("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(error.get("message").asText()).isEqualTo("must be 1-255 visible ASCII characters");
  }

  @Test
  void post_shouldReadTheBody_whenItIsBase64Encoded() {
    var event = ApiRequests.post(java.util.Base64.getEncoder().encodeToString(Fixtures.text("order-request.json").getBytes()), null);
    event.setIsBase64Encoded(true);

    assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(201);
  }

  @Test
  void get_shouldReturnTheOrderWithItsStatusHistory_whenItExists() {
    String id = body(post(Fixtures.text("order-request.json"), null)).get("id").asText();
    store.applyStatus(id, OrderStatus.RESERVED,
        new StatusChange("RESERVED", "InventoryReserved", "evt_r1", Instant.parse("2026-11-26T10:00:05Z")));

    APIGatewayV2HTTPResponse response = handler.handleRequest(ApiRequests.get(id), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    JsonNode order = body(response);
    assertThat(order.get("id").asText()).isEqualTo(id);
    assertThat(order.get("status").asText()).isEqualTo("RESERVED");
    assertThat(order.get("updatedAt").asText()).isEqualTo("2026-11-26T10:00:05Z");
    assertThat(order.get("statusHistory")).hasSize(2);
    assertThat(order.get("statusHistory").get(1).get("status").asText()).isEqualTo("RESERVED");
    assertThat(order.get("statusHistory").get(1).get("eventId").asText()).isEqualTo("evt_r1");
    assertThat(order.get("statusHistory").get(1).get("at").asText()).isEqualTo("2026-11-26T10:00:05Z");
  }

  @Test
  void get_shouldAnswer404_whenTheOrderDoesNotExist() {
    APIGatewayV2HTTPResponse response = handler.handleRequest(ApiRequests.get("ord_AAAAAAAAAAAAAAAAAAAA"), null);

    assertThat(response.getStatusCode()).isEqualTo(404);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    JsonNode problem = body(response);
    assertThat(problem.get("type").asText()).isEqualTo("https://api.example.com/problems/order-not-found");
    assertThat(problem.get("title").asText()).isEqualTo("Order not found");
    assertThat(problem.get("status").asInt()).isEqualTo(404);
    assertThat(problem.get("detail").asText()).isEqualTo("There is no order ord_AAAAAAAAAAAAAAAAAAAA.");
    assertThat(problem.get("instance").asText()).isEqualTo("/orders/ord_AAAAAAAAAAAAAAAAAAAA");
    assertThat(problem.get("requestId").asText()).isEqualTo("req-123");
  }

  @Test
  void get_shouldAnswer400_whenTheIdIsMalformed() {
    APIGatewayV2HTTPResponse response = handler.handleRequest(ApiRequests.get("12345"), null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    JsonNode problem = body(response);
    assertThat(problem.get("type").asText()).isEqualTo("https://api.example.com/problems/invalid-order-id");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("id");
  }

  @Test
  void anyRoute_shouldAnswer500WithTheRequestIdOnly_whenSomethingUnexpectedFails() {
    InMemoryOrderStore broken = new InMemoryOrderStore() {
      @Override
      public java.util.Optional<Order> find(String orderId) {
        throw new IllegalStateException("table dev-orders-orders: connection reset by 10.0.0.12");
      }
    };
    OrdersApiHandler failing = new OrdersApiHandler(broken, null, Fixtures.CLOCK);

    APIGatewayV2HTTPResponse response = failing.handleRequest(ApiRequests.get("ord_AAAAAAAAAAAAAAAAAAAA"), null);

    assertThat(response.getStatusCode()).isEqualTo(500);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    JsonNode problem = body(response);
    assertThat(problem.get("type").asText()).isEqualTo("https://api.example.com/problems/internal-error");
    assertThat(problem.get("title").asText()).isEqualTo("Internal Server Error");
    assertThat(problem.get("status").asInt()).isEqualTo(500);
    assertThat(problem.get("detail").asText()).isEqualTo("The request could not be completed. Quote the request id when you report it.");
    assertThat(problem.get("requestId").asText()).isEqualTo("req-123");
    assertThat(response.getBody()).doesNotContain("connection reset", "IllegalStateException", "dev-orders", "at com.");
  }

  @Test
  void anyRoute_shouldAnswer404_whenTheRouteIsUnknown() {
    var event = ApiRequests.event("DELETE", "/orders/ord_AAAAAAAAAAAAAAAAAAAA", "DELETE /orders/{id}", Map.of(), null, null);

    assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(404);
  }

  @Test
  void post_shouldKeepTheOutboxEventIdStable_whenTheSameKeyIsRetried() {
    post(Fixtures.text("order-request.json"), "k-stable");
    String id = OrderIds.fromIdempotencyKey(ApiRequests.CUSTOMER, "k-stable");
    Envelope first = store.outbox(id).getFirst();

    post(Fixtures.text("order-request.json"), "k-stable");

    assertThat(store.outbox(id)).containsExactly(first);
  }

  @Test
  void get_shouldAnswerAsForAnUnknownOrder_whenTheOrderBelongsToAnotherCustomer() {
    String id = body(post(Fixtures.text("order-request.json"), null)).get("id").asText();

    APIGatewayV2HTTPResponse other = handler.handleRequest(ApiRequests.as("cus_2002", ApiRequests.get(id)), null);
    APIGatewayV2HTTPResponse unknown = handler.handleRequest(ApiRequests.as("cus_2002", ApiRequests.get("ord_AAAAAAAAAAAAAAAAAAAA")), null);

    assertThat(other.getStatusCode()).isEqualTo(404).isEqualTo(unknown.getStatusCode());
    assertThat(body(other).get("type")).isEqualTo(body(unknown).get("type"));
    assertThat(other.getBody()).doesNotContain("ada@example.com");
    assertThat(handler.handleRequest(ApiRequests.get(id), null).getStatusCode()).isEqualTo(200);
  }

  @Test
  void post_shouldAnswer403AndStoreNothing_whenTheBodyNamesAnotherCustomer() {
    APIGatewayV2HTTPResponse response = handler.handleRequest(
        ApiRequests.as("cus_2002", ApiRequests.post(Fixtures.text("order-request.json"), "k-other")), null);

    assertThat(response.getStatusCode()).isEqualTo(403);
    assertThat(body(response).get("errors").get(0).get("field").asText()).isEqualTo("customerId");
    assertThat(store.all()).isEmpty();
  }

  @Test
  void request_shouldAnswer401_whenNoAuthorizerContextIsPresent() {
    APIGatewayV2HTTPResponse response = handler.handleRequest(ApiRequests.as(null, ApiRequests.get("ord_AAAAAAAAAAAAAAAAAAAA")), null);

    assertThat(response.getStatusCode()).isEqualTo(401);
    assertThat(body(response).get("type").asText()).isEqualTo("https://api.example.com/problems/unauthorized");
  }

  @Test
  void post_shouldGiveTwoCustomersTwoOrders_whenTheyPickTheSameIdempotencyKey() {
    String mine = body(post(Fixtures.text("order-request.json"), "k-shared")).get("id").asText();
    String theirs = body(handler.handleRequest(ApiRequests.as("cus_2002", ApiRequests.post(
        Fixtures.text("order-request.json").replace("cus_1001", "cus_2002"), "k-shared")), null)).get("id").asText();

    assertThat(mine).isNotEqualTo(theirs);
    assertThat(store.all()).hasSize(2);
  }
}
