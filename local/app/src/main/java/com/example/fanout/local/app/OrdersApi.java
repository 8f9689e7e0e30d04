package com.example.fanout.local.app;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.auth.LocalIssuer;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orders service's HTTP API ({@code POST /orders}, {@code GET /orders/{id}}) through {@code
 * java.net.http}, signed in as each order's customer: a token of the local issuer with
 * {@code orders/write} to place, {@code orders/read} to read (the scopes the manifest gives the routes).
 */
public final class OrdersApi {
  public static final String WRITE = "orders/write";
  public static final String READ = "orders/read";
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private final URI base;
  private final HttpClient http;
  private final LocalIssuer issuer;
  private final Map<String, String> customerOf = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  private record Token(String value, Instant renewAfter) {}

  public OrdersApi(URI base, LocalIssuer issuer) {
    this.base = base;
    this.issuer = issuer;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** {@code Bearer <token>} for {@code customerId} with {@code scope}, minted once and reused until near its expiry. */
  public String bearer(String customerId, String scope) {
    Token token = tokens.compute(customerId + " " + scope, (k, old) -> old != null && Instant.now().isBefore(old.renewAfter()) ? old
        : new Token(issuer.mint(customerId, List.of(scope), TOKEN_LIFETIME), Instant.now().plus(TOKEN_LIFETIME.dividedBy(2))));
    return "Bearer " + token.value();
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
        .header("Authorization", bearer(order.path("customerId").asText(), WRITE))
        .POST(HttpRequest.BodyPublishers.ofString(EventJson.write(order)));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    Answer answer = send(request.build());
    if (answer.orderId() != null) {
      customerOf.put(answer.orderId(), order.path("customerId").asText());
    }
    return answer;
  }

  /** {@code GET /orders/{id}} as the customer who placed it through this client: the order, or empty on 404. */
  public Optional<JsonNode> get(String orderId) {
    String customerId = customerOf.get(orderId);
    if (customerId == null) {
      throw new IllegalArgumentException("order " + orderId + " was not placed through this client: use get(orderId, customerId)");
    }
    return get(orderId, customerId);
  }

  /** {@code GET /orders/{id}} as {@code customerId}: the order, or empty on 404 (unknown, or someone else's). */
  public Optional<JsonNode> get(String orderId, String customerId) {
    Answer answer = send(HttpRequest.newBuilder(base.resolve("/orders/" + orderId)).timeout(Duration.ofSeconds(30))
        .header("Authorization", bearer(customerId, READ)).GET().build());
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
