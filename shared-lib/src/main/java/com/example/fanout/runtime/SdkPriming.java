package com.example.fanout.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.Tracer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
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
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * SnapStart priming of the AWS SDK with no network and no side effect: the calls a function makes on
 * its first invocation go through clients built like the function's own ({@link AwsClients}: the same
 * marshallers, signer, endpoint resolution, retry and protocol code, and the same url-connection
 * client on {@link KeepAliveConnections}), each request sent to a {@link LoopbackEndpoint} in this JVM
 * instead of its AWS host, over TLS as to AWS ({@link LoopbackTls}). What the snapshot keeps, the
 * loaded and JIT-compiled classes down to the JDK's HTTP client and TLS handshake, and the JDK's
 * default TLS context with its trust store loaded and one handshake of its own run (which it
 * refuses: {@link #refusedByDefaultContext}), is what the first real invocation after a restore
 * would otherwise pay for; left to it are DNS and a handshake with each AWS host. The default
 * context's {@code SecureRandom} is snapshot-safe in Lambda's Java runtimes (AWS's "Handling
 * uniqueness with Lambda SnapStart" names {@code java.security.SecureRandom} among the built-in CSPRNGs
 * that keep their randomness), and no TLS session is kept: the loopback connections use a context of
 * their own, dropped with them, and the default context's one handshake is refused. Each round is
 * traced by the function's tracer {@linkplain Tracer#primeWith for priming}: a record's span with the
 * calls' spans under it, recorded and encoded as the function's would be, and dropped.
 *
 * <p>Which calls: those of the idempotency store (a conditional {@code PutItem}, a consistent {@code
 * GetItem}, an {@code UpdateItem}), which every consumer makes on its first record, and one dry call
 * for each action the function's role grants its own code ({@link
 * com.example.fanout.manifest.ServiceManifest#awsActionsOf}, the manifest's {@code access}, from which
 * Terraform writes the same role): a scan for {@code dynamodb:Scan}, an object read for {@code
 * s3:GetObject}, an e-mail for {@code ses:SendEmail}, a secret's value for a function that reads
 * secrets, {@code PutEvents} for a function that publishes. A client whose jars the function's zip
 * leaves out (ADR 0107) primes nothing.
 */
public final class SdkPriming {
  private static final Logger LOG = LoggerFactory.getLogger(SdkPriming.class);
  /** The table, bucket and object key every dry call names. */
  private static final String PRIME = "prime";
  private static final String S3_CLIENT_CLASS = "software.amazon.awssdk.services.s3.S3Client";
  private static final String SES_CLIENT_CLASS = "software.amazon.awssdk.services.sesv2.SesV2Client";
  private static final String SECRETS_MANAGER_CLIENT_CLASS = "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient";
  private static final String SSM_CLIENT_CLASS = "software.amazon.awssdk.services.ssm.SsmClient";
  private static final String EVENT_BRIDGE_CLIENT_CLASS = "software.amazon.awssdk.services.eventbridge.EventBridgeClient";
  private static final Map<String, AttributeValue> KEY = Map.of("id", AttributeValue.fromS(PRIME));
  /**
   * Requests a loopback connection serves: kept alive, as AWS's hosts keep a function's connections,
   * so that the JDK's keep-alive path is warmed too; few enough that the handshake still runs a
   * quarter as often as the calls.
   */
  static final int REQUESTS_PER_CONNECTION = 4;
  /** The loopback answers at once: a handshake that takes longer has gone wrong. */
  private static final int REFUSAL_TIMEOUT_MILLIS = 5_000;

  private SdkPriming() {}

  /**
   * Runs the dry calls {@code rounds} times and returns how many the loopback endpoint answered; a
   * failure is logged, never thrown (priming must not stop a snapshot). Signed with placeholder
   * credentials: the function's own are neither needed nor kept in the snapshot. Nothing stays open
   * afterwards.
   *
   * @param actions the AWS actions the function's role grants its own code, as IAM names them
   */
  public static int run(int rounds, Tracer tracer, Set<String> actions) {
    return run(rounds, tracer, actions, null);
  }

  /**
   * {@link #run(int, Tracer, Set)}, then {@code invocations}: the function's handler run on sample
   * events, Lambda's "invoke priming", so that its own code and the runtime's record path are loaded
   * and compiled too. While they run, every request of the function's own clients ({@link
   * AwsClients}) goes to the same loopback endpoint ({@link PrimingRedirect}), the function traces
   * with {@code tracer} ({@link PrimingTracer}) and this thread's stdout and stderr are dropped
   * ({@link PrimingOutput}): no call reaches AWS, and no span, log line or metric reaches X-Ray or
   * CloudWatch. A failure is logged, never thrown.
   *
   * @param invocations null for none; given a priming invocation's Lambda context for each number
   */
  public static int run(int rounds, Tracer tracer, Set<String> actions, Invocations invocations) {
    return prime(rounds, tracer, actions, invocations, REQUESTS_PER_CONNECTION, request -> { }).answered();
  }

  /** What a priming invocation runs: the function's handler, once or more, on sample input. */
  @FunctionalInterface
  public interface Invocations {
    /**
     * Runs the invocations, each with the Lambda context {@code contexts} gives for its number;
     * returns how many of the samples failed (records reported failed, answers of 5xx).
     */
    int run(IntFunction<Context> contexts);
  }

  /**
   * What a priming did: the dry calls answered, the connections they took, the connections still
   * open on the endpoint once the last one was answered (0 unless a connection escaped the closing
   * request, which the JDK's keep-alive cache would then keep into the snapshot), and whether the
   * JDK's default TLS context then refused the endpoint's certificate, as it must
   * ({@link #refusedByDefaultContext}).
   */
  record Outcome(int answered, int connections, int leftOpen, boolean defaultContextRefused) {}

  static Outcome prime(int rounds, Tracer tracer, Set<String> actions, Invocations invocations,
      int requestsPerConnection, Consumer<LoopbackEndpoint.Request> onRequest) {
    // What the first real call sets up: the JSSE provider, the default TLS context, the JDK's trust store.
    HttpsURLConnection.getDefaultSSLSocketFactory();
    LoopbackTls tls = loopbackTls();
    LoopbackEndpoint endpoint;
    try {
      endpoint = new LoopbackEndpoint(onRequest, tls == null ? null : tls.serverContext(), requestsPerConnection);
    } catch (IOException e) {
      LOG.warn("SDK priming could not open its loopback endpoint: {}", e.toString());
      return new Outcome(0, 0, 0, false);
    }
    try {
      SdkHttpClient http = KeepAliveConnections.httpClient(tls == null ? null : tls.clientContext().getSocketFactory());
      AwsClients clients = new AwsClients(tracer, new RedirectingHttpClient(http, endpoint.endpoint()),
          Region.of(FunctionEnvironment.get("AWS_REGION").orElse("us-east-1")),
          StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")));
      List<DryCalls<?>> calls = new ArrayList<>();
      try {
        calls.add(new DynamoDbCalls(clients, actions));
        if (DryCalls.grants(actions, "s3:") && AwsClients.packaged(SdkPriming.class, S3_CLIENT_CLASS)) {
          calls.add(new S3Calls(clients, actions));
        }
        if (DryCalls.grants(actions, "ses:SendEmail", "ses:SendRawEmail") && AwsClients.packaged(SdkPriming.class, SES_CLIENT_CLASS)) {
          calls.add(new SesCalls(clients));
        }
        if (actions.contains("secretsmanager:GetSecretValue") && AwsClients.packaged(SdkPriming.class, SECRETS_MANAGER_CLIENT_CLASS)) {
          calls.add(new SecretsManagerCalls(clients));
        }
        if (DryCalls.grants(actions, "ssm:GetParameter") && AwsClients.packaged(SdkPriming.class, SSM_CLIENT_CLASS)) {
          calls.add(new SsmCalls(clients, actions));
        }
        if (actions.contains("events:PutEvents") && AwsClients.packaged(SdkPriming.class, EVENT_BRIDGE_CLIENT_CLASS)) {
          calls.add(new EventBridgeCalls(clients, tracer));
        }
        for (int i = 0; i < rounds; i++) {
          asRecord(tracer, () -> calls.forEach(DryCalls::round));
        }
      } catch (RuntimeException e) {
        LOG.warn("SDK priming stopped early: {}", e.toString());
      } finally {
        calls.forEach(DryCalls::close);
      }
      if (invocations != null) {
        invoke(invocations, tracer, new RedirectingHttpClient(http, endpoint.endpoint()));
      }
      int answered = endpoint.answered();
      if (answered > 0) {
        closeKeptConnection(http, endpoint);
      }
      int connections = endpoint.connections();
      int leftOpen = endpoint.openConnections();
      if (leftOpen > 0) {
        LOG.warn("SDK priming left {} loopback connection(s) open", leftOpen);
      }
      return new Outcome(answered, connections, leftOpen, tls != null && refusedByDefaultContext(endpoint.endpoint()));
    } finally {
      try {
        endpoint.close();
      } catch (IOException e) {
        LOG.warn("SDK priming could not close its loopback endpoint: {}", e.toString());
      }
    }
  }

  /**
   * One client's dry calls: the client built once on the loopback, its calls made in order once a
   * round. Each client's calls are a subclass of their own, loaded only when the zip carries the client.
   */
  private static class DryCalls<C extends SdkAutoCloseable> {
    private final C client;
    private final List<Consumer<C>> calls = new ArrayList<>();

    DryCalls(C client) {
      this.client = client;
    }

    static boolean grants(Set<String> actions, String... prefixes) {
      return actions.stream().anyMatch(a -> java.util.Arrays.stream(prefixes).anyMatch(a::startsWith));
    }

    final void add(Consumer<C> call) {
      calls.add(call);
    }

    final void addIf(boolean granted, Consumer<C> call) {
      if (granted) {
        calls.add(call);
      }
    }

    final void round() {
      calls.forEach(call -> call.accept(client));
    }

    final void close() {
      client.close();
    }
  }

  /**
   * The idempotency store's claim, read and completion, and each other DynamoDB action granted.
   * {@code dynamodb:ConditionCheckItem} primes nothing: only a transaction makes it.
   */
  private static final class DynamoDbCalls extends DryCalls<DynamoDbClient> {
    DynamoDbCalls(AwsClients clients, Set<String> actions) {
      super(clients.dynamoDb());
      add(db -> db.putItem(r -> r.tableName(PRIME).item(KEY).conditionExpression("attribute_not_exists(id)")));
      add(db -> db.getItem(r -> r.tableName(PRIME).key(KEY).consistentRead(true)));
      add(db -> db.updateItem(r -> r.tableName(PRIME).key(KEY).updateExpression("SET #s = :s")
          .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", AttributeValue.fromS("COMPLETED")))));
      addIf(actions.contains("dynamodb:DeleteItem"), db -> db.deleteItem(r -> r.tableName(PRIME).key(KEY)));
      addIf(actions.contains("dynamodb:Query"), db -> db.queryPaginator(r -> r.tableName(PRIME).keyConditionExpression("id = :id")
          .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(PRIME)))).items().forEach(item -> { }));
      addIf(actions.contains("dynamodb:Scan"),
          db -> db.scanPaginator(r -> r.tableName(PRIME).consistentRead(true)).items().forEach(item -> { }));
      addIf(actions.contains("dynamodb:BatchGetItem"),
          db -> db.batchGetItem(r -> r.requestItems(Map.of(PRIME, KeysAndAttributes.builder().keys(KEY).build()))));
      addIf(actions.contains("dynamodb:BatchWriteItem"), db -> db.batchWriteItem(r -> r.requestItems(
          Map.of(PRIME, List.of(WriteRequest.builder().putRequest(p -> p.item(KEY)).build())))));
    }
  }

  /** Each S3 object action granted: a read (its body read to the end, as a function reads it), a write, a delete. */
  private static final class S3Calls extends DryCalls<S3Client> {
    S3Calls(AwsClients clients, Set<String> actions) {
      super(clients.s3());
      addIf(actions.contains("s3:GetObject"), s3 -> {
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(r -> r.bucket(PRIME).key(PRIME))) {
          object.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      addIf(actions.contains("s3:PutObject"), s3 -> s3.putObject(r -> r.bucket(PRIME).key(PRIME).contentType("application/json"),
          RequestBody.fromString("{}")));
      addIf(actions.contains("s3:DeleteObject"), s3 -> s3.deleteObject(r -> r.bucket(PRIME).key(PRIME)));
    }
  }

  /** An e-mail of simple content, tagged, as a notification is sent. */
  private static final class SesCalls extends DryCalls<SesV2Client> {
    SesCalls(AwsClients clients) {
      super(clients.build(SesV2Client.builder()));
      add(ses -> ses.sendEmail(r -> r.fromEmailAddress("prime@example.com")
          .destination(d -> d.toAddresses("prime@example.com"))
          .content(c -> c.simple(m -> m.subject(s -> s.data(PRIME).charset("UTF-8"))
              .body(b -> b.text(t -> t.data(PRIME).charset("UTF-8")))))
          .emailTags(MessageTag.builder().name("outcome").value("PRIME").build())));
    }
  }

  /** A secret's value, as Powertools parameters reads one from Secrets Manager. */
  private static final class SecretsManagerCalls extends DryCalls<SecretsManagerClient> {
    SecretsManagerCalls(AwsClients clients) {
      super(clients.build(SecretsManagerClient.builder()));
      add(secrets -> secrets.getSecretValue(r -> r.secretId(PRIME)));
    }
  }

  /** A parameter's value decrypted, as Powertools parameters reads one from SSM; several for {@code ssm:GetParameters}. */
  private static final class SsmCalls extends DryCalls<SsmClient> {
    SsmCalls(AwsClients clients, Set<String> actions) {
      super(clients.build(SsmClient.builder()));
      addIf(actions.contains("ssm:GetParameter"), ssm -> ssm.getParameter(r -> r.name("/" + PRIME).withDecryption(true)));
      addIf(actions.contains("ssm:GetParameters"), ssm -> ssm.getParameters(r -> r.names("/" + PRIME).withDecryption(true)));
    }
  }

  /** {@code PutEvents} with the record's trace header, as the publisher sends a batch's follow-ups. */
  private static final class EventBridgeCalls extends DryCalls<EventBridgeClient> {
    EventBridgeCalls(AwsClients clients, Tracer tracer) {
      super(clients.eventBridge());
      add(eventBridge -> eventBridge.putEvents(r -> r.entries(e -> e.eventBusName(PRIME).source("com.example.prime")
          .detailType("Primed").detail("{}").traceHeader(tracer.currentTraceHeader().orElse(null)))));
    }
  }

  private static void invoke(Invocations invocations, Tracer tracer, SdkHttpClient loopback) {
    int failed;
    try {
      failed = PrimingTracer.during(tracer, () -> PrimingRedirect.during(loopback,
          () -> PrimingOutput.discardedDuring(() -> invocations.run(PrimingContext::new))));
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("invoke priming stopped early: {}", e.toString());
      return;
    }
    if (failed > 0) {
      LOG.warn("invoke priming: {} of the samples failed in the handler; the first invocation after a restore loads"
          + " what their success path needs", failed);
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

  /**
   * One handshake with the loopback endpoint through the JDK's default TLS context, which a function's
   * calls to AWS go through ({@link KeepAliveConnections}) and whose trust store does not hold the
   * endpoint's certificate: true when it refuses that certificate, as it must. The dry calls went
   * through a context that trusts that certificate alone. This handshake runs the default context's
   * own: its client state, built on its first handshake, and its trust manager's validator over the
   * trust store's anchors, built on its first check, which a restored function's first handshake
   * with an AWS host would otherwise pay for. A refused handshake leaves no session and no connection
   * to keep.
   */
  private static boolean refusedByDefaultContext(URI endpoint) {
    try {
      HttpsURLConnection connection = (HttpsURLConnection) endpoint.toURL().openConnection();
      connection.setConnectTimeout(REFUSAL_TIMEOUT_MILLIS);
      connection.setReadTimeout(REFUSAL_TIMEOUT_MILLIS);
      connection.connect();
      connection.disconnect();
      LOG.warn("SDK priming: the JDK's default TLS context trusted the loopback endpoint's certificate");
      return false;
    } catch (SSLHandshakeException refused) {
      for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
        if (cause instanceof CertificateException) {
          return true;
        }
      }
      LOG.warn("SDK priming's handshake through the default TLS context failed for another reason than trust: {}",
          refused.toString());
      return false;
    } catch (IOException | RuntimeException e) {
      LOG.warn("SDK priming could not make a handshake through the default TLS context: {}", e.toString());
      return false;
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
