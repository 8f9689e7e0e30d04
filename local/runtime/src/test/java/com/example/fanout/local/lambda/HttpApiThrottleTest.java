package com.example.fanout.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.manifest.ServiceManifest.Authorization;
import com.example.fanout.manifest.ServiceManifest.Route;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API invokes its function synchronously: beyond the function's reserved concurrency Lambda
 * throttles the invoke (counted in {@code Throttles}), the handler does not run, and API Gateway
 * answers 500.
 */
class HttpApiThrottleTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String SIGV4 =
      "AWS4-HMAC-SHA256 Credential=AKIDLOCALEXAMPLE01/20261207/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=0f";

  @TempDir
  Path dir;

  @Test
  void requestBeyondTheReservedConcurrency_shouldBeThrottled_andAnswered500_whileTheFirstIsServed() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    List<String> throttled = new CopyOnWriteArrayList<>();
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = (event, context) -> {
      calls.incrementAndGet();
      entered.countDown();
      try {
        release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{\"id\":\"ord_1\"}").build();
    };
    // TestFunctions gives the function a reserved concurrency of 1.
    try (LocalFunction function = TestFunctions.local("t-shop-api", handler, 10); SpanLog spans = new SpanLog(dir);
        HttpApiServer api = new HttpApiServer(0, spans)) {
      function.observe(new InvocationObserver() {
        @Override
        public void invoked(String name, Duration duration, boolean error) {}

        @Override
        public void throttled(String name) {
          throttled.add(name);
        }
      });
      api.bind(new Route("GET", "/orders/{id}"), function, new Authorization(Authorization.IAM, Map.of()));
      HttpRequest request = HttpRequest.newBuilder(api.endpoint().resolve("/orders/ord_1")).header("Authorization", SIGV4).GET().build();

      CompletableFuture<HttpResponse<String>> first = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the first request reached the handler").isTrue();
      HttpResponse<String> second = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      release.countDown();

      assertThat(second.statusCode()).isEqualTo(500);
      assertThat(second.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
      assertThat(throttled).containsExactly("t-shop-api");
      assertThat(first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(calls.get()).as("the throttled request never reached the handler").isOne();

      HttpResponse<String> after = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).as("the execution given back, the next request is served").isEqualTo(200);
    }
  }
}
