package com.example.orders.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderIds;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.imports.BulkImport;
import com.example.orders.fakes.FakeImportObjects;
import com.example.orders.fakes.Fixtures;
import com.example.orders.fakes.InMemoryOrderStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkImportHandlerTest {
  private static final String BUCKET = "dev-orders-imports-111122223333";

  private final InMemoryOrderStore store = new InMemoryOrderStore();
  private final FakeImportObjects objects = new FakeImportObjects();
  private final BulkImportHandler handler = new BulkImportHandler(
      new BulkImport(objects, new OrderValidator(), new OrderPlacement(store, Fixtures.schemas(), Fixtures.CLOCK), Fixtures.CLOCK),
      BUCKET);

  private static S3Event created(String bucket, String urlEncodedKey) {
    var record = new S3EventNotification.S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3",
        "2026-11-26T10:00:00.000Z", "2.1", null, null,
        new S3EventNotification.S3Entity("orders-import", new S3EventNotification.S3BucketEntity(bucket, null, "arn:aws:s3:::" + bucket),
            new S3EventNotification.S3ObjectEntity(urlEncodedKey, 100L, "etag", null, "0055AED6DCD90281E5"), "1.0"),
        null);
    return new S3Event(List.of(record));
  }

  private List<JsonNode> rejects(String key) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : objects.get(BUCKET, key).split("\n")) {
      if (!line.isBlank()) {
        lines.add(EventJson.parse(line));
      }
    }
    return lines;
  }

  @Test
  void primeImports_shouldImportTheCatalogsSampleOrderFromEveryFile_andRejectItsLastLine() {
    int failed = handler.primeImports(i -> new com.example.orders.fakes.TestContext("dev-orders-imports"));

    assertThat(failed).isZero();
    assertThat(store.all()).as("an order per valid line of every file, placed as the sample's customer through the import channel")
        .hasSize(BulkImportHandler.PRIMING_IMPORTS * (BulkImportHandler.PRIMING_LINES - 1))
        .allSatisfy(order -> {
          assertThat(order.customerId()).isEqualTo(ApiRequests.CUSTOMER);
          assertThat(order.channel()).isEqualTo("import");
        });
    assertThat(store.all().getFirst().id()).isEqualTo(OrderIds.fromImportLine(BUCKET, "incoming/prime-0.csv", 2));
    JsonNode summary = EventJson.parse(objects.get(BUCKET, "processed/prime-19.csv.summary.json"));
    assertThat(summary.get("created").asLong()).isEqualTo(BulkImportHandler.PRIMING_LINES - 1);
    assertThat(summary.get("rejected").asLong()).isEqualTo(1);
    assertThat(rejects("rejects/prime-19.csv.rejects.jsonl")).singleElement()
        .satisfies(reject -> assertThat(reject.get("errors").get(0).get("field").asText()).isEqualTo("customerEmail"));
    assertThat(objects.has(BUCKET, "incoming/prime-0.csv")).as("the file itself, read from memory, never in the bucket").isFalse();
  }

  @Test
  void csv_shouldCreateOneOrderPerValidLineAndRejectTheOthers_whenSomeLinesAreBad() {
    objects.with(BUCKET, "incoming/2026-11-26 orders.csv", Fixtures.text("import-orders.csv"));

    handler.handleRequest(created(BUCKET, "incoming/2026-11-26+orders.csv"), null);

    assertThat(store.all()).extracting(Order::id).containsExactly(
        OrderIds.fromImportLine(BUCKET, "incoming/2026-11-26 orders.csv", 2),
        OrderIds.fromImportLine(BUCKET, "incoming/2026-11-26 orders.csv", 5));
    Order first = store.all().getFirst();
    assertThat(first.channel()).isEqualTo("import");
    assertThat(first.orderRef()).isEqualTo("PO-1");
    assertThat(first.totalCents()).isEqualTo(2500);
    assertThat(store.all().get(1).orderRef()).isEqualTo("PO-3, rush");
    assertThat(store.outbox(first.id())).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("OrderPlaced");
      assertThat(e.data().get("channel").asText()).isEqualTo("import");
    });

    List<JsonNode> rejects = rejects("rejects/2026-11-26 orders.csv.rejects.jsonl");
    assertThat(rejects).hasSize(2);
    assertThat(rejects.get(0).get("line").asLong()).isEqualTo(4);
    assertThat(rejects.get(0).get("raw").asText()).isEqualTo("cus_2002,bad-email,SKU-RED-MUG,two,1250,EUR,tok_visa_ok,PO-2");
    assertThat(rejects.get(0).get("errors")).hasSize(2);
    assertThat(rejects.get(0).get("errors").get(0).get("field").asText()).isEqualTo("customerEmail");
    assertThat(rejects.get(0).get("errors").get(1).get("field").asText()).isEqualTo("quantity");
    assertThat(rejects.get(0).get("errors").get(1).get("message").asText()).isEqualTo("must be a whole number");
    assertThat(rejects.get(1).get("line").asLong()).isEqualTo(6);
    assertThat(rejects.get(1).get("errors").get(0).get("message").asText()).isEqualTo("has 5 fields, the header has 8");

    JsonNode summary = EventJson.parse(objects.get(BUCKET, "processed/2026-11-26 orders.csv.summary.json"));
    assertThat(summary.get("bucket").asText()).isEqualTo(BUCKET);
    assertThat(summary.get("key").asText()).isEqualTo("incoming/2026-11-26 orders.csv");
    assertThat(summary.get("format").asText()).isEqualTo("csv");
    assertThat(summary.get("orderLines").asLong()).isEqualTo(4);
    assertThat(summary.get("created").asLong()).isEqualTo(2);
    assertThat(summary.get("alreadyImported").asLong()).isZero();
    assertThat(summary.get("rejected").asLong()).isEqualTo(2);
    assertThat(summary.get("rejectsKey").asText()).isEqualTo("rejects/2026-11-26 orders.csv.rejects.jsonl");
  }

  @Test
  void jsonl_shouldCreateOneOrderPerValidLineAndRejectTheOthers_whenSomeLinesAreBad() {
    objects.with(BUCKET, "incoming/batch-7.jsonl", Fixtures.text("import-orders.jsonl"));

    handler.handleRequest(created(BUCKET, "incoming/batch-7.jsonl"), new com.example.orders.fakes.TestContext("dev-orders-imports"));

    assertThat(store.all()).extracting(Order::id).containsExactly(
        OrderIds.fromImportLine(BUCKET, "incoming/batch-7.jsonl", 1),
        OrderIds.fromImportLine(BUCKET, "incoming/batch-7.jsonl", 4));
    assertThat(store.all()).extracting(Order::channel).containsOnly("import");
    List<JsonNode> rejects = rejects("rejects/batch-7.jsonl.rejects.jsonl");
    assertThat(rejects).extracting(r -> r.get("line").asLong()).containsExactly(2L, 3L, 5L);
    assertThat(rejects.get(0).get("errors").get(0).get("field").asText()).isEqualTo("items");
    assertThat(rejects.get(0).get("errors").get(0).get("message").asText()).isEqualTo("must contain at least one item");
    assertThat(rejects.get(1).get("errors").get(0).get("field").asText()).isEqualTo("$");
    assertThat(rejects.get(1).get("errors").get(0).get("message").asText()).startsWith("is not valid JSON");
    assertThat(rejects.get(1).get("raw").asText()).isEqualTo("{\"customerId\": \"cus_3003\", oops}");
    assertThat(rejects.get(2).get("errors").get(0).get("message").asText()).isEqualTo("must be a JSON object");
    JsonNode summary = EventJson.parse(objects.get(BUCKET, "processed/batch-7.jsonl.summary.json"));
    assertThat(summary.get("orderLines").asLong()).isEqualTo(5);
    assertThat(summary.get("created").asLong()).isEqualTo(2);
    assertThat(summary.get("rejected").asLong()).isEqualTo(3);
  }

  @Test
  void rerun_shouldCreateNothingTwice_whenTheSameObjectIsProcessedAgain() {
    objects.with(BUCKET, "incoming/batch-7.jsonl", Fixtures.text("import-orders.jsonl"));
    handler.handleRequest(created(BUCKET, "incoming/batch-7.jsonl"), null);
    List<Envelope> firstOutbox = store.all().stream().flatMap(o -> store.outbox(o.id()).stream()).toList();

    handler.handleRequest(created(BUCKET, "incoming/batch-7.jsonl"), null);

    assertThat(store.all()).hasSize(2);
    assertThat(store.all().stream().flatMap(o -> store.outbox(o.id()).stream()).toList()).isEqualTo(firstOutbox);
    JsonNode summary = EventJson.parse(objects.get(BUCKET, "processed/batch-7.jsonl.summary.json"));
    assertThat(summary.get("created").asLong()).isZero();
    assertThat(summary.get("alreadyImported").asLong()).isEqualTo(2);
    assertThat(summary.get("rejected").asLong()).isEqualTo(3);
  }

  @Test
  void csv_shouldRejectEveryLine_whenTheHeaderIsWrong() {
    objects.with(BUCKET, "incoming/bad-header.csv", "customer,email,sku\ncus_1,a@example.com,SKU-1\n");

    handler.handleRequest(created(BUCKET, "incoming/bad-header.csv"), null);

    assertThat(store.all()).isEmpty();
    List<JsonNode> rejects = rejects("rejects/bad-header.csv.rejects.jsonl");
    assertThat(rejects).extracting(r -> r.get("line").asLong()).containsExactly(1L, 2L);
    assertThat(rejects.get(0).get("errors").get(0).get("field").asText()).isEqualTo("header");
    assertThat(rejects.get(0).get("errors").get(0).get("message").asText()).isEqualTo("unknown column 'customer'");
    JsonNode summary = EventJson.parse(objects.get(BUCKET, "processed/bad-header.csv.summary.json"));
    assertThat(summary.get("orderLines").asLong()).isEqualTo(1);
    assertThat(summary.get("rejected").asLong()).isEqualTo(1);
  }

  @Test
  void jsonl_shouldReadTheFirstLine_whenTheFileStartsWithAByteOrderMark() {
    objects.with(BUCKET, "incoming/bom.jsonl", "\uFEFF" + Fixtures.text("import-orders.jsonl").lines().findFirst().orElseThrow());

    handler.handleRequest(created(BUCKET, "incoming/bom.jsonl"), null);

    assertThat(store.all()).hasSize(1);
  }

  @Test
  void anyFile_shouldBeSkipped_whenTheObjectWasDeletedBeforeTheImport() {
    var gone = new FakeImportObjects() {
      @Override
      public java.io.BufferedReader open(String bucket, String key) {
        throw software.amazon.awssdk.services.s3.model.NoSuchKeyException.builder().message("The specified key does not exist.").build();
      }
    };
    var handlerOnGone = new BulkImportHandler(
        new BulkImport(gone, new OrderValidator(), new OrderPlacement(store, null, Fixtures.CLOCK), Fixtures.CLOCK), BUCKET);

    handlerOnGone.handleRequest(created(BUCKET, "incoming/gone.csv"), null);

    assertThat(gone.has(BUCKET, "processed/gone.csv.summary.json")).isFalse();
  }

  @Test
  void anyFile_shouldBeIgnored_whenItIsOutsideIncoming() {
    objects.with(BUCKET, "rejects/x.csv", "customerId\n");

    handler.handleRequest(created(BUCKET, "rejects/x.csv"), null);

    assertThat(objects.has(BUCKET, "processed/x.csv.summary.json")).isFalse();
    assertThat(store.all()).isEmpty();
  }

  @Test
  void anyFile_shouldBeIgnored_whenItIsInAnotherBucket() {
    objects.with("someone-elses-bucket", "incoming/batch-7.jsonl", Fixtures.text("import-orders.jsonl"));

    handler.handleRequest(created("someone-elses-bucket", "incoming/batch-7.jsonl"), null);

    assertThat(store.all()).isEmpty();
  }

  @Test
  void csv_shouldWriteAnEmptyRejectsFile_whenEveryLineIsValid() {
    objects.with(BUCKET, "incoming/ok.csv",
        "customerId,customerEmail,sku,quantity,unitPriceCents,currency,paymentToken\ncus_1,a@example.com,SKU-1,1,100,EUR,tok\n");

    handler.handleRequest(created(BUCKET, "incoming/ok.csv"), null);

    assertThat(store.all()).hasSize(1);
    assertThat(objects.get(BUCKET, "rejects/ok.csv.rejects.jsonl")).isEmpty();
  }
}
