package com.example.fanout.runtime;

import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.Tracer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * SnapStart priming of the AWS SDK with no network and no side effect: the calls every consumer makes
 * on its first record (the idempotency claim and completion, {@code PutEvents}) go through clients
 * built like the function's own ({@link AwsClients}: the same marshallers, signer, endpoint
 * resolution, retry and protocol code, and the same url-connection client on {@link
 * KeepAliveConnections}), each request sent to a {@link LoopbackEndpoint} in this JVM instead of its
 * AWS host, over TLS as to AWS ({@link LoopbackTls}). What the snapshot keeps, the loaded and
 * JIT-compiled classes down to the JDK's HTTP client and TLS handshake, and the JDK's default TLS
 * context with its trust store loaded, is what the first real batch after a restore would otherwise
 * pay for; left to it are DNS and a handshake with each AWS host. The default context's {@code
 * SecureRandom} is snapshot-safe in Lambda's Java runtimes (AWS's "Handling uniqueness with Lambda
 * SnapStart" names {@code java.security.SecureRandom} among the built-in CSPRNGs that keep their
 * randomness), and no TLS session is kept: the loopback connections use a context of their own,
 * dropped with them. Each round is traced by the function's tracer
 * {@linkplain Tracer#primeWith for priming}: a record's span with the calls' spans under it,
 * recorded and encoded as the function's would be, and dropped. A function whose zip leaves
 * EventBridge out (one that neither consumes nor publishes, ADR 0107) primes DynamoDB alone.
 */
public final class SdkPriming {
  private static final Logger LOG = LoggerFactory.getLogger(SdkPriming.class);
  private static final Map<String, AttributeValue> KEY = Map.of("id", AttributeValue.fromS("prime"));
  private static final String EVENT_BRIDGE_CLIENT_CLASS = "software.amazon.awssdk.services.eventbridge.EventBridgeClient";
  /**
   * Requests a loopback connection serves: kept alive, as AWS's hosts keep a function's connections,
   * so that the JDK's keep-alive path is warmed too; few enough that the handshake still runs a
   * quarter as often as the calls.
   */
  static final int REQUESTS_PER_CONNECTION = 4;

  private SdkPriming() {}

  /**
   * Runs the dry calls {@code rounds} times and returns how many the loopback endpoint answered; a
   * failure is logged, never thrown (priming must not stop a snapshot). Signed with placeholder
   * credentials: the function's own are neither needed nor kept in the snapshot. Nothing stays open
   * afterwards.
   */
  public static int run(int rounds, Tracer tracer) {
    return prime(rounds, tracer, REQUESTS_PER_CONNECTION).answered();
  }

  /**
   * What a priming did: the dry calls answered, the connections they took, and the connections still
   * open on the endpoint once the last one was answered (0 unless a connection escaped the closing
   * request, which the JDK's keep-alive cache would then keep into the snapshot).
   */
  record Outcome(int answered, int connections, int leftOpen) {}

  static Outcome prime(int rounds, Tracer tracer, int requestsPerConnection) {
    // What the first real call sets up: the JSSE provider, the default TLS context, the JDK's trust store.
    HttpsURLConnection.getDefaultSSLSocketFactory();
    LoopbackTls tls = loopbackTls();
    LoopbackEndpoint endpoint;
    try {
      endpoint = new LoopbackEndpoint(body -> { }, tls == null ? null : tls.serverContext(), requestsPerConnection);
    } catch (IOException e) {
      LOG.warn("SDK priming could not open its loopback endpoint: {}", e.toString());
      return new Outcome(0, 0, 0);
    }
    try {
      SdkHttpClient http = KeepAliveConnections.httpClient(tls == null ? null : tls.clientContext().getSocketFactory());
      AwsClients clients = new AwsClients(tracer, new RedirectingHttpClient(http, endpoint.endpoint()),
          Region.of(FunctionEnvironment.get("AWS_REGION").orElse("us-east-1")),
          StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")));
      try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
        for (int i = 0; i < rounds; i++) {
          asRecord(tracer, () -> {
            dynamoDb.putItem(r -> r.tableName("prime").item(KEY).conditionExpression("attribute_not_exists(id)"));
            dynamoDb.getItem(r -> r.tableName("prime").key(KEY).consistentRead(true));
            dynamoDb.updateItem(r -> r.tableName("prime").key(KEY).updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", AttributeValue.fromS("COMPLETED"))));
          });
        }
        if (AwsClients.packaged(SdkPriming.class, EVENT_BRIDGE_CLIENT_CLASS)) {
          primeEventBridge(clients, tracer, rounds);
        }
      } catch (RuntimeException e) {
        LOG.warn("SDK priming stopped early: {}", e.toString());
      }
      int answered = endpoint.answered();
      if (answered > 0) {
        closeKeptConnection(http, endpoint);
      }
      Outcome outcome = new Outcome(answered, endpoint.connections(), endpoint.openConnections());
      if (outcome.leftOpen() > 0) {
        LOG.warn("SDK priming left {} loopback connection(s) open", outcome.leftOpen());
      }
      return outcome;
    } finally {
      try {
        endpoint.close();
      } catch (IOException e) {
        LOG.warn("SDK priming could not close its loopback endpoint: {}", e.toString());
      }
    }
  }

  /**
   * One request answered with {@code Connection: close} on the connection the JDK keeps alive for the
   * next call (a sequential client keeps at most one), so that none is left in its keep-alive cache.
   */
  private static void closeKeptConnection(SdkHttpClient http, LoopbackEndpoint endpoint) {
    endpoint.closeAfterEveryAnswer();
    SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).uri(endpoint.endpoint()).build();
    try {
      HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(request).build()).call();
      if (response.responseBody().isPresent()) {
        try (InputStream body = response.responseBody().get()) {
          body.readAllBytes();
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("SDK priming could not close its kept-alive loopback connection: {}", e.toString());
    }
  }

  /** A TLS identity for the loopback endpoint, or null (priming then goes over plain HTTP) if one cannot be made. */
  private static LoopbackTls loopbackTls() {
    try {
      return LoopbackTls.create(Instant.now());
    } catch (GeneralSecurityException e) {
      LOG.warn("SDK priming goes over plain HTTP: no TLS identity for its loopback endpoint: {}", e.toString());
      return null;
    }
  }

  private static void primeEventBridge(AwsClients clients, Tracer tracer, int rounds) {
    try (EventBridgeClient eventBridge = clients.eventBridge()) {
      for (int i = 0; i < rounds; i++) {
        asRecord(tracer, () -> eventBridge.putEvents(r -> r.entries(e -> e.eventBusName("prime").source("com.example.prime")
            .detailType("Primed").detail("{}").traceHeader(tracer.currentTraceHeader().orElse(null)))));
      }
    }
  }

  /** Makes {@code calls} under a record's span, as a consumer does. */
  private static void asRecord(Tracer tracer, Runnable calls) {
    try (Span record = tracer.startSegment("prime.prime Primed", null)) {
      record.annotate(Span.CORRELATION_ID, "prime");
      calls.run();
      record.outcome("ok");
    }
  }

  /** An HTTP client with every request's scheme, host and port replaced by the loopback endpoint's. */
  static final class RedirectingHttpClient implements SdkHttpClient {
    private final SdkHttpClient http;
    private final URI endpoint;

    RedirectingHttpClient(SdkHttpClient http, URI endpoint) {
      this.http = http;
      this.endpoint = endpoint;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      SdkHttpRequest redirected = request.httpRequest().toBuilder()
          .protocol(endpoint.getScheme()).host(endpoint.getHost()).port(endpoint.getPort()).build();
      return http.prepareRequest(HttpExecuteRequest.builder().request(redirected)
          .contentStreamProvider(request.contentStreamProvider().orElse(null)).build());
    }

    @Override
    public String clientName() {
      return http.clientName();
    }

    @Override
    public void close() {
      http.close();
    }
  }
}
