package com.example.fanout.local.app;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The orders service's HTTP API ({@code POST /orders}, {@code GET /orders/{id}}) through {@code java.net.http}. */
public final class OrdersApi {
  private final URI base;
  private final HttpClient http;

  public OrdersApi(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** One order line of a POST body. */
  public record Line(String sku, int quantity, long unitPriceCents) {}

  /** The POST body. */
  public static ObjectNode order(String customerId, String email, String channel, String paymentToken, List<Line> lines) {
    ObjectNode body = EventJson.mapper().createObjectNode();
    body.put("customerId", customerId).put("customerEmail", email).put("channel", channel);
    ArrayNode items = body.putArray("items");
    for (Line l : lines) {
      items.addObject().put("sku", l.sku()).put("quantity", l.quantity()).put("unitPriceCents", l.unitPriceCents());
    }
    body.put("currency", "EUR").put("paymentToken", paymentToken);
    return body;
  }

  /** An HTTP answer: status, the {@code Idempotent-Replayed} header and the JSON body. */
  public record Answer(int status, boolean replayed, JsonNode body) {
    public String orderId() {
      return body.path("id").asText(null);
    }
  }

  public Answer place(JsonNode order, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/orders")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(EventJson.write(order)));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  /** {@code GET /orders/{id}}: the order, or empty on 404. */
  public Optional<JsonNode> get(String orderId) {
    Answer answer = send(HttpRequest.newBuilder(base.resolve("/orders/" + orderId)).timeout(Duration.ofSeconds(30)).GET().build());
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (answer.status() != 200) {
      throw new IllegalStateException("GET /orders/" + orderId + " answered " + answer.status() + ": " + answer.body());
    }
    return Optional.of(answer.body());
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode body = text == null || text.isBlank() ? EventJson.mapper().createObjectNode() : EventJson.parse(text);
      return new Answer(response.statusCode(), response.headers().firstValue("Idempotent-Replayed").isPresent(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The saga's end states: nothing moves an order on from these. */
  public static boolean isTerminal(String status) {
    return "SHIPPED".equals(status) || "REJECTED".equals(status) || "PAYMENT_FAILED".equals(status);
  }

  /** The event type of the last status change in the order's history. */
  public static String lastEvent(JsonNode order) {
    JsonNode history = order.path("statusHistory");
    return history.isArray() && !history.isEmpty() ? history.get(history.size() - 1).path("eventType").asText("-") : "-";
  }
}
