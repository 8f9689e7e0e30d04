package com.example.fanout.local.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.auth.LocalIssuer;
import com.example.fanout.local.lambda.FunctionLoader;
import com.example.fanout.local.servers.RepoPaths;
import com.example.fanout.manifest.InvalidManifestException;
import com.example.fanout.manifest.ManifestLoader;
import com.example.fanout.manifest.ServiceManifest;
import com.example.fanout.publish.PayloadLimits;
import com.example.orders.domain.imports.BulkImport;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The bad-input corpus ({@code corpus/<area>/<case>.<ext>} + {@code <case>.expected.json}) against
 * the running platform: every case must end in the clear error or the classified dead letter its
 * expected file names; nothing is lost and nothing crashes (no 500, no stack trace on the CLI).
 * Areas: {@code http} (the orders API behind the JWT authorizer), {@code import} (S3 bulk import),
 * {@code events} (bodies delivered to a consumer queue, or PutEvents entries), {@code manifests}
 * and {@code cli} (the fanout command's arguments).
 */
@ExtendWith(SagaPlatform.Lifecycle.class)
class BadInputCorpusTest {
  static final Path CORPUS = RepoPaths.root().resolve("corpus");
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String EVENTS_CONSUMER = "inventory-reserve-stock";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Case(String area, String name, JsonNode expected, Optional<Path> data) {
    JsonNode expect() {
      return expected.path("expect");
    }

    /** The input: {@code expected.generate} parts (text, repeated text, hex bytes), else the data file, else none. */
    byte[] input() {
      if (expected.has("generate")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode part : expected.get("generate")) {
          byte[] bytes = part.has("hex") ? HexFormat.of().parseHex(part.get("hex").asText())
              : part.path("text").asText().getBytes(StandardCharsets.UTF_8);
          for (int i = 0; i < part.path("times").asInt(1); i++) {
            out.writeBytes(bytes);
          }
        }
        return out.toByteArray();
      }
      try {
        return data.isPresent() ? Files.readAllBytes(data.get()) : null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String text() {
      byte[] bytes = input();
      return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static List<Case> load() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.walk(CORPUS)) {
      for (Path expected : files.filter(p -> p.getFileName().toString().endsWith(".expected.json")).sorted().toList()) {
        String name = expected.getFileName().toString().replace(".expected.json", "");
        String area = CORPUS.relativize(expected).getName(0).toString();
        Optional<Path> data;
        try (Stream<Path> siblings = Files.list(expected.getParent())) {
          data = siblings.filter(p -> !p.equals(expected) && p.getFileName().toString().startsWith(name + ".")
              && !p.getFileName().toString().endsWith(".expected.json")).findFirst();
        }
        cases.add(new Case(area, name, EventJson.parse(Files.readString(expected)), data));
      }
    }
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusCase_shouldEndInAClearErrorOrAClassifiedDeadLetter() throws IOException {
    List<Case> cases = load();
    Map<String, Integer> byArea = new TreeMap<>();
    cases.forEach(c -> byArea.merge(c.area(), 1, Integer::sum));
    System.out.println("bad-input corpus: " + cases.size() + " cases " + byArea);
    assertThat(cases).as("the corpus has at least 60 cases").hasSizeGreaterThanOrEqualTo(60);
    assertThat(byArea).containsOnlyKeys("http", "import", "events", "manifests", "cli");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.area() + "/" + c.name() + ": " + c.expected().path("description").asText(), () -> {
      switch (c.area()) {
        case "http" -> http(c);
        case "import" -> importFile(c);
        case "events" -> event(c);
        case "manifests" -> manifest(c);
        case "cli" -> cli(c);
        default -> fail("unknown area " + c.area());
      }
    }));
  }

  // ------------------------------------------------------------------ http

  private static void http(Case c) throws Exception {
    LocalPlatform platform = SagaPlatform.get();
    JsonNode e = c.expected();
    String method = e.path("method").asText("POST");
    byte[] body = c.input();
    String key = e.hasNonNull("idempotencyKey") ? e.get("idempotencyKey").asText() + "-" + RUN : null;
    if (e.hasNonNull("primeWith")) {
      byte[] prime = Files.readAllBytes(c.data().orElseThrow().resolveSibling(e.get("primeWith").asText()));
      HttpResponse<String> first = send(platform, method, e, prime, key);
      assertThat(first.statusCode()).as("the priming request: %s", first.body()).isEqualTo(201);
    }
    HttpResponse<String> response = send(platform, method, e, body, key);
    JsonNode expect = c.expect();
    assertThat(response.statusCode()).as("%s: %s", c.name(), abbreviate(response.body())).isEqualTo(expect.get("status").asInt());
    JsonNode answer = response.body().isBlank() ? EventJson.mapper().createObjectNode() : EventJson.parse(response.body());
    if (expect.has("problemType")) {
      assertThat(answer.path("type").asText()).endsWith("/problems/" + expect.get("problemType").asText());
      assertThat(answer.path("detail").asText()).as("a problem explains itself").isNotBlank();
    }
    for (JsonNode field : expect.path("errorFields")) {
      assertThat(answer.path("errors").findValuesAsText("field")).contains(field.asText());
    }
    if (expect.has("message")) {
      assertThat(answer.path("message").asText()).isEqualTo(expect.get("message").asText());
    }
    if (expect.has("wwwAuthenticateContains")) {
      assertThat(response.headers().firstValue("www-authenticate")).get().asString()
          .containsIgnoringCase(expect.get("wwwAuthenticateContains").asText());
    }
  }

  private static HttpResponse<String> send(LocalPlatform platform, String method, JsonNode e, byte[] body, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(platform.endpoints().api().resolve(e.path("path").asText("/orders")))
        .timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", e.path("contentType").asText("application/json"));
    }
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    e.path("headers").fields().forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
    token(platform.issuer(), e).ifPresent(t -> request.header("Authorization", t));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The Authorization header a case asks for: {@code token} names the variant, {@code sub}/{@code scopes} its claims. */
  private static Optional<String> token(LocalIssuer issuer, JsonNode e) throws Exception {
    String sub = e.path("sub").asText("cus_corpus");
    List<String> scopes = new ArrayList<>();
    e.path("scopes").forEach(s -> scopes.add(s.asText()));
    if (scopes.isEmpty()) {
      scopes.add("POST".equals(e.path("method").asText("POST")) ? OrdersApi.WRITE : OrdersApi.READ);
    }
    Instant inAnHour = Instant.now().plusSeconds(3600);
    return switch (e.path("token").asText("valid")) {
      case "valid" -> Optional.of("Bearer " + issuer.mint(sub, scopes, Duration.ofHours(1)));
      case "none" -> Optional.empty();
      case "expired" -> Optional.of("Bearer " + LocalIssuer.sign(issuer.signingKey(),
          issuer.claims(sub, scopes, Instant.now().minusSeconds(600)).build()));
      case "wrong-signature" -> Optional.of("Bearer " + LocalIssuer.sign(new RSAKeyGenerator(2048)
          .keyID(issuer.signingKey().getKeyID()).algorithm(JWSAlgorithm.RS256).generate(), issuer.claims(sub, scopes, inAnHour).build()));
      case "unknown-key" -> Optional.of("Bearer " + LocalIssuer.sign(new RSAKeyGenerator(2048).keyID("stranger")
          .algorithm(JWSAlgorithm.RS256).generate(), issuer.claims(sub, scopes, inAnHour).build()));
      case "wrong-audience" -> Optional.of("Bearer " + LocalIssuer.sign(issuer.signingKey(),
          new JWTClaimsSet.Builder(issuer.claims(sub, scopes, inAnHour).build()).audience("someone-elses-api").build()));
      case "wrong-issuer" -> Optional.of("Bearer " + LocalIssuer.sign(issuer.signingKey(),
          new JWTClaimsSet.Builder(issuer.claims(sub, scopes, inAnHour).build()).issuer("https://issuer.example.com").build()));
      case "alg-none" -> Optional.of("Bearer " + new PlainJWT(issuer.claims(sub, scopes, inAnHour).build()).serialize());
      case "not-a-jwt" -> Optional.of("Bearer not.a.jwt");
      default -> throw new IllegalArgumentException("unknown token variant " + e.path("token").asText());
    };
  }

  // ---------------------------------------------------------------- import

  private static void importFile(Case c) {
    LocalPlatform platform = SagaPlatform.get();
    String bucket = SagaPlatform.ENV + "-orders-imports-000000000000";
    String file = c.data().map(p -> p.getFileName().toString()).orElse(c.name() + "." + c.expected().path("extension").asText("csv"));
    String key = BulkImport.INCOMING + "corpus-" + RUN + "-" + file;
    JsonNode expect = c.expect();
    try (S3Client s3 = S3Client.builder().endpointOverride(platform.endpoints().s3()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(c.input()));
      String summaryKey = BulkImport.summaryKey(key);
      SagaPlatform.await(TIMEOUT, "the import summary " + summaryKey, () -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(summaryKey))
          .contents().stream().anyMatch(o -> o.key().equals(summaryKey)));
      JsonNode summary = EventJson.parse(s3.getObjectAsBytes(r -> r.bucket(bucket).key(summaryKey)).asUtf8String());
      assertThat(summary.path("created").asInt()).as("created: %s", summary).isEqualTo(expect.path("created").asInt());
      assertThat(summary.path("rejected").asInt()).as("rejected: %s", summary).isEqualTo(expect.path("rejected").asInt());
      List<JsonNode> rejects = s3.getObjectAsBytes(r -> r.bucket(bucket).key(BulkImport.rejectsKey(key))).asUtf8String()
          .lines().filter(l -> !l.isBlank()).map(EventJson::parse).toList();
      List<Integer> lines = new ArrayList<>();
      expect.path("rejectLines").forEach(n -> lines.add(n.asInt()));
      assertThat(rejects).extracting(r -> r.path("line").asInt()).containsExactlyElementsOf(lines);
      for (JsonNode field : expect.path("rejectFields")) {
        assertThat(rejects.stream().flatMap(r -> r.path("errors").findValuesAsText("field").stream()).toList()).contains(field.asText());
      }
      for (JsonNode reason : expect.path("reasonsContain")) {
        assertThat(rejects.stream().flatMap(r -> r.path("errors").findValuesAsText("message").stream()).toList())
            .anySatisfy(m -> assertThat(m).contains(reason.asText()));
      }
    }
  }

  // ---------------------------------------------------------------- events

  private static void event(Case c) {
    LocalPlatform platform = SagaPlatform.get();
    if ("publisher-limits".equals(c.expected().path("channel").asText())) {
      // What every producer's EventPublisher checks before PutEvents: the fan-out chain's limit (SNS, SQS).
      String refused = PayloadLimits.fanOutChain().rejection(PutEventsRequestEntry.builder().eventBusName("b")
          .source("com.example.orders").detailType("OrderPlaced").detail(c.text()).build());
      assertThat(refused).as("refused by the chain's limit").isNotNull().containsIgnoringCase(c.expect().get("errorContains").asText());
      return;
    }
    if ("put-events".equals(c.expected().path("channel").asText())) {
      putEvents(platform, c);
      return;
    }
    var queue = platform.queue(EVENTS_CONSUMER);
    String body = c.text();
    JsonNode expect = c.expect();
    try (SqsClient sqs = SqsClient.builder().endpointOverride(platform.endpoints().sqs()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String messageId = sqs.sendMessage(r -> r.queueUrl(queue.url()).messageBody(body)).messageId();
      Message[] dead = new Message[1];
      SagaPlatform.await(TIMEOUT, c.name() + " in " + queue.dlqName(), () -> {
        for (Message m : sqs.receiveMessage(r -> r.queueUrl(queue.dlqUrl()).maxNumberOfMessages(10).visibilityTimeout(0)
            .messageAttributeNames("All").waitTimeSeconds(0)).messages()) {
          MessageAttributeValue original = m.messageAttributes().get("fanout-original-message-id");
          if (messageId.equals(m.messageId()) || original != null && messageId.equals(original.stringValue())) {
            dead[0] = m;
            return true;
          }
        }
        return false;
      });
      Message m = dead[0];
      assertThat(m.body()).as("the dead letter keeps the original body").isEqualTo(body);
      String failureClass = attribute(m, "fanout-failure-class");
      String reason = attribute(m, "fanout-failure-reason");
      assertThat(failureClass).as("failure class of %s (reason: %s)", c.name(), reason).isEqualTo(expect.get("failureClass").asText());
      assertThat(reason).as("a readable reason").isNotBlank();
      if (expect.has("reasonContains")) {
        assertThat(reason).containsIgnoringCase(expect.get("reasonContains").asText());
      }
      sqs.deleteMessage(r -> r.queueUrl(queue.dlqUrl()).receiptHandle(m.receiptHandle()));
    }
  }

  private static String attribute(Message m, String name) {
    MessageAttributeValue v = m.messageAttributes().get(name);
    return v == null ? null : v.stringValue();
  }

  private static void putEvents(LocalPlatform platform, Case c) {
    JsonNode expect = c.expect();
    try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(platform.endpoints().eventBridge()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String detail = c.text();
      String outcome;
      try {
        PutEventsResponse response = events.putEvents(r -> r.entries(e -> e.eventBusName(platform.endpoints().eventBusName())
            .source(c.expected().path("source").asText("com.example.orders")).detailType(c.expected().path("detailType").asText("OrderPlaced"))
            .detail(detail)));
        assertThat(response.failedEntryCount()).as("the entry is refused, not routed").isEqualTo(1);
        outcome = response.entries().getFirst().errorCode() + ": " + response.entries().getFirst().errorMessage();
      } catch (SdkException refused) {
        outcome = refused.getMessage();
      }
      assertThat(outcome).containsIgnoringCase(expect.get("errorContains").asText());
    }
  }

  // ------------------------------------------------------------- manifests

  private static void manifest(Case c) {
    JsonNode expect = c.expect();
    String outcome = expect.get("outcome").asText();
    ServiceManifest manifest;
    try {
      manifest = ManifestLoader.parse(c.name() + ".yaml", c.text(), null);
    } catch (InvalidManifestException refused) {
      assertThat(outcome).as("%s was refused: %s", c.name(), refused.getMessage()).isEqualTo("rejected");
      for (JsonNode part : expect.path("problemsContain")) {
        assertThat(refused.getMessage()).contains(part.asText());
      }
      return;
    }
    if (c.expected().has("knownGap") && outcome.equals("rejected")) {
      Assumptions.abort("known gap, accepted today: " + c.expected().get("knownGap").asText());
    }
    assertThat(outcome).as("%s was accepted", c.name()).isEqualTo("handler-missing");
    FunctionLoader loader = new FunctionLoader(BadInputCorpusTest.class.getClassLoader(),
        new com.example.fanout.local.xray.LambdaTracing(new com.example.fanout.local.xray.ServiceSegments(
            new com.example.fanout.local.xray.TraceStore()), "127.0.0.1:2000", java.net.URI.create("http://127.0.0.1:9")));
    manifest.consumers().forEach(k -> loader.load("corpus-" + k.name(), k.handler(), k.function(), Map.of()));
    assertThat(loader.warnings()).anySatisfy(w -> assertThat(w).contains(expect.get("warningContains").asText()));
  }

  // ------------------------------------------------------------------- cli

  private static void cli(Case c) {
    List<String> args = c.text().lines().filter(l -> !l.isBlank()).toList();
    SagaApp.FanoutRun run = SagaApp.fanout(SagaPlatform.get(), args.toArray(String[]::new));
    JsonNode expect = c.expect();
    assertThat(run.code()).as("exit code of fanout %s: %s", args, run.output()).isEqualTo(expect.get("exitCode").asInt());
    assertThat(run.output()).as("a clear message, no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
    assertThat(run.output()).containsIgnoringCase(expect.get("outputContains").asText());
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
