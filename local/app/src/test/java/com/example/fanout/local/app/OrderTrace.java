package com.example.fanout.local.app;

import static com.example.fanout.local.app.SagaPlatform.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.LocalPlatform;
import com.example.fanout.local.app.OrdersApi.Line;
import com.example.fanout.local.eventbridge.EventArchive;
import com.example.fanout.tracing.TraceEntity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/**
 * The one-trace-per-order check, whichever tracer each service runs: one order placed through the HTTP
 * API and shipped, then its OrderPlaced delivered a second time (SNS and SQS deliver at least once), is
 * exactly one trace from the API's Lambda invocation to the ledger's record of the e-mail, every hop
 * parented inside it, the duplicate's follow-ups included.
 */
public final class OrderTrace {
  private static final Duration TIMEOUT = Duration.ofSeconds(45);

  /** The consumer hops of the saga, as both tracers name their record spans. */
  public static final List<String> HANDLER_HOPS = List.of("inventory.reserve-stock OrderPlaced",
      "payments.authorize-payment InventoryReserved", "fulfillment.ship-order PaymentAuthorized",
      "notifications.notify-customer OrderShipped", "reporting.order-ledger NotificationSent");

  /** Whether the consumer of a hop ({@code <service>.<consumer> <Type>}) keeps idempotency records, as its manifest says. */
  private static boolean keepsRecords(LocalPlatform platform, String hop) {
    String qualified = hop.substring(0, hop.indexOf(' '));
    String service = qualified.substring(0, qualified.indexOf('.'));
    return platform.catalog().requireService(service).consumer(qualified.substring(qualified.indexOf('.') + 1)).orElseThrow()
        .idempotency() == com.example.fanout.manifest.ServiceManifest.Idempotency.RECORDS;
  }

  /** The SDK's name of the SES v2 service: the X-Ray SDK's subsegment and OpenTelemetry's span are named so. */
  public static final String SES = "SesV2";

  private OrderTrace() {}

  /** Places an order of {@code sku}, delivers its OrderPlaced twice, checks the one trace and returns it. */
  public static List<TraceEntity> placeAndCheck(LocalPlatform platform, OrdersApi api, String sku) {
    OrdersApi.Answer answer = api.place(OrdersApi.order("cus_" + UUID.randomUUID().toString().substring(0, 8),
        "ada@example.com", "web", "tok_visa_ok", List.of(new Line(sku, 1, 700))), UUID.randomUUID().toString());
    assertThat(answer.status()).as("POST /orders: %s", answer.body()).isEqualTo(201);
    String orderId = answer.orderId();
    await(TIMEOUT, orderId + " SHIPPED", () -> api.get(orderId)
        .map(o -> o.path("status").asText()).filter("SHIPPED"::equals).isPresent());
    await(TIMEOUT, "the ledger's record of NotificationSent in the order's trace",
        () -> traceNames(platform, orderId).contains("reporting.order-ledger NotificationSent"));

    // SNS delivers at least once: the same OrderPlaced again, with the trace header it travelled with.
    EventArchive.Archived placed = platform.archive().select(null, null, orderId).stream()
        .filter(a -> a.event().path("detail-type").asText().equals("OrderPlaced")).findFirst().orElseThrow();
    try (SqsClient sqs = SqsClient.builder().endpointOverride(platform.endpoints().sqs()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      sqs.sendMessage(b -> b.queueUrl(platform.queue("inventory-reserve-stock").url())
          .messageBody(EventJson.write(placed.event()))
          .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
              MessageSystemAttributeValue.builder().dataType("String").stringValue(placed.traceHeader()).build())));
    }
    // The duplicate's follow-ups are delivered again down the whole saga, each hop handling a duplicate of
    // its own. Segments and spans reach the daemon as each piece ends, a child before its parent, so the
    // checks below read one snapshot of the trace taken once the re-run has settled.
    Settled settled = settle(platform, orderId);
    List<String> traceIds = settled.traceIds();
    List<String> fromTheApi = settled.fromTheApi();
    assertThat(fromTheApi).as("one order, one trace: %s", traceIds.stream()
        .map(t -> t + " " + platform.xray().store().trace(t).stream().map(TraceEntity::name).toList()).toList()).hasSize(1);
    assertThat(traceIds.stream().filter(t -> !fromTheApi.contains(t))
        .flatMap(t -> platform.xray().store().trace(t).stream())
        .filter(e -> orderId.equals(e.annotation("correlation_id"))))
        .as("nothing of the order's path outside its trace")
        // Two causes of their own, as in AWS: the watchdog's schedule, and the relay's stream invocation
        // (DynamoDB Streams carry no trace header, so Lambda starts a trace per stream batch; the events it
        // publishes continue the request's trace, checked below by the hops' parents).
        .allSatisfy(e -> assertThat(e.name().equals(SagaPlatform.ENV + "-orders-outbox-relay")
            || e.name().equals("orders.outbox-relay stream") || "SagaStuck".equals(e.annotation("event_type")))
            .as("%s outside the order's trace", e.name()).isTrue());
    List<TraceEntity> trace = settled.trace();
    Set<String> ids = trace.stream().map(TraceEntity::id).collect(Collectors.toSet());
    assertThat(trace.stream().filter(e -> e.parentId() == null)).as("the trace starts at the API's Lambda invocation")
        .singleElement().satisfies(root -> {
          assertThat(root.origin()).isEqualTo("AWS::Lambda");
          assertThat(root.name()).isEqualTo(SagaPlatform.ENV + "-orders-api");
        });
    assertThat(trace).filteredOn(e -> e.parentId() != null).as("every hop has its parent in the trace")
        .allSatisfy(e -> assertThat(ids).contains(e.parentId()));
    assertThat(trace).extracting(TraceEntity::name).contains(
        SagaPlatform.ENV + "-fanout", SagaPlatform.ENV + "-orders-events", SagaPlatform.ENV + "-inventory-events")
        .containsAll(HANDLER_HOPS);
    // A consumer with idempotency records answers the redelivery as a duplicate; one without them
    // (idempotency: none, ADR 0098: the ledger) applies it again, which changes nothing.
    HANDLER_HOPS.forEach(hop -> assertThat(trace).filteredOn(e -> e.name().equals(hop))
        .extracting(e -> e.annotation("outcome")).as("%s handled once, then as a duplicate", hop)
        .containsExactlyInAnyOrder("ok", keepsRecords(platform, hop) ? "duplicate" : "ok"));
    assertThat(platform.timeline().render(orderId)).contains("x-ray AWS::SNS", "x-ray AWS::Lambda::Function");
    // The e-mail is a hop of its own: the SES call, a child of the notification's record, as every SDK call is.
    Set<String> notifications = trace.stream().filter(e -> e.name().equals("notifications.notify-customer OrderShipped"))
        .map(TraceEntity::id).collect(Collectors.toSet());
    assertThat(trace).filteredOn(e -> "aws".equals(e.origin()) && e.name().equals(SES)).as("the SES call in the trace")
        .isNotEmpty().allSatisfy(e -> assertThat(notifications).contains(e.parentId()));
    assertThat(platform.timeline().render(orderId)).containsPattern("aws-sdk\\s+" + SES);
    return trace;
  }

  /** The order's traces, the one of them the API started, and that trace's entities, read together. */
  private record Settled(List<String> traceIds, List<String> fromTheApi, List<TraceEntity> trace) {
    /** Every hop handled twice (the delivery and its duplicate), nothing in progress, no parent still to come. */
    boolean settled() {
      Set<String> ids = trace.stream().map(TraceEntity::id).collect(Collectors.toSet());
      return fromTheApi.size() == 1 && trace.stream().noneMatch(TraceEntity::inProgress)
          && trace.stream().allMatch(e -> e.parentId() == null || ids.contains(e.parentId()))
          && HANDLER_HOPS.stream().allMatch(hop -> trace.stream().filter(e -> e.name().equals(hop)).count() >= 2);
    }
  }

  /** The order's trace once it has settled, or its last snapshot at the timeout (see {@link Settled#settled}). */
  private static Settled settle(LocalPlatform platform, String orderId) {
    return SagaPlatform.poll(TIMEOUT, "the order's trace settled", () -> {
      List<String> traceIds = platform.timeline().traceIds(orderId);
      List<String> fromTheApi = traceIds.stream().filter(t -> platform.xray().store().trace(t).stream()
          .anyMatch(e -> e.parentId() == null && e.name().equals(SagaPlatform.ENV + "-orders-api"))).toList();
      return new Settled(traceIds, fromTheApi,
          fromTheApi.size() == 1 ? platform.xray().store().trace(fromTheApi.getFirst()) : List.of());
    }, Settled::settled);
  }

  /**
   * Which tracer recorded a hop: OpenTelemetry's record spans arrive over OTLP as segments of their own,
   * the X-Ray SDK's as subsegments of Lambda's function segment. A delivery may come twice (SNS and SQS
   * are at least once), so every handling of the hop is checked.
   */
  public static void assertTracedBy(List<TraceEntity> trace, String hop, String tracer) {
    assertThat(trace).filteredOn(e -> e.name().equals(hop)).as("%s in the trace", hop).isNotEmpty()
        .allSatisfy(e -> assertThat(e.segment()).as("%s recorded by %s", hop, tracer).isEqualTo("otel".equals(tracer)));
  }

  private static List<String> traceNames(LocalPlatform platform, String orderId) {
    return platform.timeline().traceIds(orderId).stream()
        .flatMap(t -> platform.xray().store().trace(t).stream()).map(TraceEntity::name).toList();
  }
}
