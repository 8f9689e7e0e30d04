package com.example.orders.handler;

import static com.example.orders.handler.StreamRecords.event;
import static com.example.orders.handler.StreamRecords.image;
import static com.example.orders.handler.StreamRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.example.orders.domain.outbox.OutboxCleaner;
import com.example.orders.dynamodb.DynamoDbOrderStore;
import com.example.orders.domain.outbox.OutboxRelay;
import com.example.orders.fakes.Fixtures;
import com.example.orders.fakes.RecordingEventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxRelayHandlerTest {
  private final RecordingEventSink sink = new RecordingEventSink();
  private final List<String> cleared = new ArrayList<>();
  private final OutboxCleaner cleaner = (key, ids) -> ids.forEach(id -> cleared.add(key + "/" + id));

  private static Envelope placed(String orderId, String eventId) {
    var data = Fixtures.json("order-request.json").put("orderId", orderId).put("totalCents", 3299);
    return new Envelope(eventId, "OrderPlaced", 1, "com.example.orders", Instant.parse("2026-11-26T10:00:00Z"),
        orderId, null, data);
  }

  private static List<String> failures(StreamsEventResponse response) {
    return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
  }

  @Test
  void primeBatches_shouldPublishAndClearTheCatalogsSampleOncePerRecord_withNoFailure() {
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    int failed = handler.primeBatches(i -> new com.example.fanout.testing.TestLambdaContext("dev-orders-outbox-relay"));

    assertThat(failed).isZero();
    assertThat(sink.published).hasSize(OutboxRelayHandler.PRIMING_BATCHES * 10).allSatisfy(event -> {
      assertThat(event.type()).isEqualTo("OrderPlaced");
      assertThat(event.correlationId()).isEqualTo(event.data().path("orderId").asText());
    });
    assertThat(sink.published).extracting(Envelope::id).doesNotHaveDuplicates();
    assertThat(cleared).hasSize(OutboxRelayHandler.PRIMING_BATCHES * 10);
  }

  @Test
  void insert_shouldPublishTheOutboxEventsWithTheirStoredIds_whenAnOrderIsCreated() {
    Envelope e = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1");
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    StreamsEventResponse response = handler.handleRequest(
        event(record("INSERT", "100", "ord_AAAAAAAAAAAAAAAAAAAA", null, image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", e))), null);

    assertThat(failures(response)).isEmpty();
    assertThat(sink.published).extracting(Envelope::id).containsExactly("evt_1");
    assertThat(EventJson.writeEnvelope(sink.published.getFirst())).isEqualTo(EventJson.writeEnvelope(e));
    assertThat(cleared).containsExactly("ord_AAAAAAAAAAAAAAAAAAAA/evt_1");
  }

  @Test
  void insert_shouldPublishInTheWritersTrace_whenTheItemCarriesItsTraceHeader() {
    String header = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
    Envelope e = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1");
    var written = new java.util.HashMap<>(image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", e));
    written.put(DynamoDbOrderStore.OUTBOX_TRACE, new AttributeValue().withS(header));
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    handler.handleRequest(event(record("INSERT", "100", "ord_AAAAAAAAAAAAAAAAAAAA", null, written)), null);

    assertThat(sink.published).extracting(Envelope::id).containsExactly("evt_1");
    assertThat(sink.traceHeaders).containsExactly(header);
  }

  @Test
  void modify_shouldPublishNothing_whenItOnlyRemovesOutboxEntries() {
    Envelope e = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1");
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    StreamsEventResponse response = handler.handleRequest(event(record("MODIFY", "101", "ord_AAAAAAAAAAAAAAAAAAAA",
        image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", e), image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED"))), null);

    assertThat(failures(response)).isEmpty();
    assertThat(sink.published).isEmpty();
    assertThat(cleared).isEmpty();
  }

  @Test
  void modify_shouldPublishNothing_whenOnlyTheStatusChanged() {
    Envelope e = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1");
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    handler.handleRequest(event(record("MODIFY", "102", "ord_AAAAAAAAAAAAAAAAAAAA",
        image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", e), image("ord_AAAAAAAAAAAAAAAAAAAA", "RESERVED", e))), null);

    assertThat(sink.published).isEmpty();
  }

  @Test
  void modify_shouldPublishOnlyTheNewEntries_whenAWriteAddsToTheOutbox() {
    Envelope old = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1");
    Envelope added = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_2");
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    handler.handleRequest(event(record("MODIFY", "103", "ord_AAAAAAAAAAAAAAAAAAAA",
        image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", old), image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", old, added))), null);

    assertThat(sink.published).extracting(Envelope::id).containsExactly("evt_2");
  }

  @Test
  void remove_shouldPublishNothing_whenAnItemIsDeleted() {
    Envelope e = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1");
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    handler.handleRequest(event(record("REMOVE", "104", "ord_AAAAAAAAAAAAAAAAAAAA",
        image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", e), null)), null);

    assertThat(sink.published).isEmpty();
  }

  @Test
  void batch_shouldReportTheFailedRecordAndEveryLaterOne_whenAnEventIsNotPublished() {
    sink.refusing(e -> e.id().equals("evt_2"));
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    StreamsEventResponse response = handler.handleRequest(event(
        record("INSERT", "200", "ord_AAAAAAAAAAAAAAAAAAAA", null, image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1"))),
        record("INSERT", "201", "ord_BBBBBBBBBBBBBBBBBBBB", null, image("ord_BBBBBBBBBBBBBBBBBBBB", "PLACED", placed("ord_BBBBBBBBBBBBBBBBBBBB", "evt_2"))),
        record("INSERT", "202", "ord_CCCCCCCCCCCCCCCCCCCC", null, image("ord_CCCCCCCCCCCCCCCCCCCC", "PLACED", placed("ord_CCCCCCCCCCCCCCCCCCCC", "evt_3")))),
        null);

    assertThat(failures(response)).containsExactly("201", "202");
    // One PutEvents round for the batch: evt_3 went out too and is sent again with the same id when
    // the stream retries from 201 (consumers deduplicate by id); only what precedes the failure is cleared.
    assertThat(sink.published).extracting(Envelope::id).containsExactly("evt_1", "evt_3");
    assertThat(cleared).containsExactly("ord_AAAAAAAAAAAAAAAAAAAA/evt_1");
  }

  @Test
  void batch_shouldPublishEveryRecordsEventsInOneCall_whenTheBatchHoldsManyOrders() {
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));
    List<com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String orderId = String.format("ord_%020d", i);
      records.add(record("INSERT", Integer.toString(600 + i), orderId, null, image(orderId, "PLACED", placed(orderId, "evt_" + i))));
    }

    StreamsEventResponse response = handler.handleRequest(event(records.toArray(
        new com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord[0])), null);

    assertThat(failures(response)).isEmpty();
    assertThat(sink.calls).containsExactly(25);
    assertThat(sink.published).extracting(Envelope::id).startsWith("evt_0", "evt_1", "evt_2").hasSize(25);
    assertThat(cleared).hasSize(25);
  }

  @Test
  void batch_shouldReportEveryRecord_whenTheBusIsUnreachable() {
    sink.failingWith(new IllegalStateException("PutEvents: connection refused"));
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, cleaner));

    StreamsEventResponse response = handler.handleRequest(event(
        record("INSERT", "300", "ord_AAAAAAAAAAAAAAAAAAAA", null, image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1"))),
        record("INSERT", "301", "ord_BBBBBBBBBBBBBBBBBBBB", null, image("ord_BBBBBBBBBBBBBBBBBBBB", "PLACED", placed("ord_BBBBBBBBBBBBBBBBBBBB", "evt_2")))),
        null);

    assertThat(failures(response)).containsExactly("300", "301");
  }

  @Test
  void insert_shouldPublishTheSameIdsAgain_whenTheStreamRetriesARecord() {
    Envelope e = placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1");
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, OutboxCleaner.NONE));
    var insert = record("INSERT", "400", "ord_AAAAAAAAAAAAAAAAAAAA", null, image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", e));

    handler.handleRequest(event(insert), null);
    handler.handleRequest(event(insert), null);

    assertThat(sink.published).extracting(Envelope::id).containsExactly("evt_1", "evt_1");
  }

  @Test
  void batch_shouldSucceed_whenClearingTheOutboxFails() {
    OutboxCleaner failing = (key, ids) -> {
      throw new IllegalStateException("throttled");
    };
    var handler = new OutboxRelayHandler(new OutboxRelay(sink, failing));

    StreamsEventResponse response = handler.handleRequest(event(record("INSERT", "500", "ord_AAAAAAAAAAAAAAAAAAAA", null,
        image("ord_AAAAAAAAAAAAAAAAAAAA", "PLACED", placed("ord_AAAAAAAAAAAAAAAAAAAA", "evt_1")))), null);

    assertThat(failures(response)).isEmpty();
    assertThat(sink.published).hasSize(1);
  }
}
