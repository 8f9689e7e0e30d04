package com.example.payments.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.payments.domain.AuthorizationRequest;
import com.example.payments.domain.AuthorizationResult;
import com.example.payments.domain.FailureReason;
import com.example.payments.domain.PaymentProviderUnavailableException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a provider stand-in on localhost. */
class HttpPaymentProviderTest {
  private HttpServer server;
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicReference<Object[]> answer = new AtomicReference<>(new Object[] {200, "{\"status\":\"AUTHORIZED\",\"id\":\"ch_1\"}"});
  private HttpPaymentProvider provider;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/authorizations", exchange -> {
      headers.add(Map.of(
          "authorization", exchange.getRequestHeaders().getFirst("Authorization"),
          "idempotency-key", exchange.getRequestHeaders().getFirst("Idempotency-Key")));
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Object[] a = answer.get();
      byte[] out = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders((Integer) a[0], out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        exchange.getResponseBody().write(out);
      }
      exchange.close();
    });
    server.start();
    provider = new HttpPaymentProvider(HttpPaymentProvider.defaultClient(),
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "sk_test_123");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void authorize_shouldSendTheOrderIdAsIdempotencyKeyAndTheKeyAsBearer_whenAuthorised() {
    AuthorizationResult result = provider.authorize(new AuthorizationRequest("ord_12345678", 2500, "EUR", "tok_visa", "cus_1"));

    assertThat(result).isEqualTo(new AuthorizationResult.Authorized("ch_1"));
    assertThat(headers).singleElement().satisfies(h -> {
      assertThat(h.get("idempotency-key")).isEqualTo("ord_12345678");
      assertThat(h.get("authorization")).isEqualTo("Bearer sk_test_123");
    });
    assertThat(EventJson.parse(bodies.get(0)).get("amount").asLong()).isEqualTo(2500);
  }

  @Test
  void authorize_shouldMapTheReason_whenThePaymentIsRefused() {
    answer.set(new Object[] {402, "{\"status\":\"DECLINED\",\"reason\":\"insufficient_funds\"}"});

    assertThat(provider.authorize(new AuthorizationRequest("ord_12345678", 2500, "EUR", "tok", "cus_1")))
        .isEqualTo(new AuthorizationResult.Refused(FailureReason.INSUFFICIENT_FUNDS));
  }

  @Test
  void authorize_shouldThrowTransient_whenTheProviderAnswers503() {
    answer.set(new Object[] {503, ""});

    assertThatThrownBy(() -> provider.authorize(new AuthorizationRequest("ord_12345678", 2500, "EUR", "tok", "cus_1")))
        .isInstanceOf(PaymentProviderUnavailableException.class);
  }

  @Test
  void authorize_shouldNotNameTheKey_whenCredentialsAreRefused() {
    answer.set(new Object[] {401, ""});

    assertThatThrownBy(() -> provider.authorize(new AuthorizationRequest("ord_12345678", 2500, "EUR", "tok", "cus_1")))
        .isInstanceOf(IllegalStateException.class)
        .message().doesNotContain("sk_test_123");
  }
}
