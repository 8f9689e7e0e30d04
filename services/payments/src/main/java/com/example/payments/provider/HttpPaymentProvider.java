package com.example.payments.provider;

import com.example.fanout.event.EventJson;
import com.example.payments.domain.AuthorizationRequest;
import com.example.payments.domain.AuthorizationResult;
import com.example.payments.domain.FailureReason;
import com.example.payments.domain.PaymentProvider;
import com.example.payments.domain.PaymentProviderUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A card-payment provider's REST API with {@code java.net.http}:
 * {@code POST <base>/v1/authorizations} with {@code Authorization: Bearer <api key>} and
 * {@code Idempotency-Key: <orderId>}, so a retried request returns the first answer and never
 * charges twice.
 *
 * <ul>
 *   <li>2xx {@code {"status":"AUTHORIZED","id":"..."}}: authorised;
 *   <li>402 or 2xx {@code {"status":"DECLINED"|..., "reason":...}}: refused with the mapped reason;
 *   <li>400/422: INVALID_TOKEN;
 *   <li>408, 409 (same key still in flight), 429, 5xx, I/O errors and timeouts: transient, retried;
 *   <li>401/403: a configuration problem (wrong key), thrown as {@link IllegalStateException} and
 *       retried until the DLQ, so no order is failed because of our own mistake.
 * </ul>
 */
public final class HttpPaymentProvider implements PaymentProvider {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);

  private final HttpClient http;
  private final URI authorizations;
  private final Supplier<String> apiKey;

  public HttpPaymentProvider(HttpClient http, URI baseUrl, Supplier<String> apiKey) {
    this.http = Objects.requireNonNull(http, "http");
    this.authorizations = Objects.requireNonNull(baseUrl, "baseUrl").resolve("/v1/authorizations");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
  }

  public static HttpClient defaultClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  }

  @Override
  public AuthorizationResult authorize(AuthorizationRequest request) {
    ObjectNode body = EventJson.mapper().createObjectNode()
        .put("reference", request.orderId())
        .put("amount", request.amountCents())
        .put("currency", request.currency())
        .put("source", request.paymentToken())
        .put("customer", request.customerId());
    HttpRequest httpRequest = HttpRequest.newBuilder(authorizations)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + apiKey.get())
        .header("Idempotency-Key", request.orderId())
        .POST(HttpRequest.BodyPublishers.ofString(EventJson.write(body)))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new PaymentProviderUnavailableException("payment provider unreachable for " + request.orderId() + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PaymentProviderUnavailableException("interrupted while authorising " + request.orderId(), e);
    }
    return interpret(request.orderId(), response.statusCode(), response.body());
  }

  static AuthorizationResult interpret(String orderId, int status, String body) {
    if (status == 401 || status == 403) {
      throw new IllegalStateException("payment provider refused our credentials (HTTP " + status + "); check the provider secret");
    }
    if (status == 408 || status == 409 || status == 429 || status >= 500) {
      throw new PaymentProviderUnavailableException("payment provider answered HTTP " + status + " for " + orderId);
    }
    if (status == 400 || status == 422) {
      return new AuthorizationResult.Refused(FailureReason.INVALID_TOKEN);
    }
    JsonNode json = body == null || body.isBlank() ? EventJson.mapper().createObjectNode() : EventJson.parse(body);
    String outcome = json.path("status").asText("");
    if (status / 100 == 2 && "AUTHORIZED".equals(outcome) && json.path("id").isTextual()) {
      return new AuthorizationResult.Authorized(json.get("id").textValue());
    }
    if (status == 402 || status / 100 == 2) {
      return new AuthorizationResult.Refused(reason(json.path("reason").asText(outcome)));
    }
    throw new PaymentProviderUnavailableException("payment provider answered HTTP " + status + " for " + orderId);
  }

  private static FailureReason reason(String code) {
    return switch (code) {
      case "INSUFFICIENT_FUNDS", "insufficient_funds" -> FailureReason.INSUFFICIENT_FUNDS;
      case "INVALID_TOKEN", "invalid_token", "invalid_card" -> FailureReason.INVALID_TOKEN;
      case "PROVIDER_UNAVAILABLE", "processing_unavailable" -> FailureReason.PROVIDER_UNAVAILABLE;
      default -> FailureReason.DECLINED;
    };
  }
}
