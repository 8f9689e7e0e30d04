package com.example.orders.dynamodb;

import com.example.fanout.testing.LocalAws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.servers.Dynalite;
import com.example.orders.domain.ChannelRule;
import com.example.orders.domain.OrderIds;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderStatus;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.Placement;
import com.example.orders.domain.RequestFingerprint;
import com.example.orders.domain.StatusChange;
import com.example.orders.domain.Validation;
import com.example.orders.domain.outbox.OutboxRelay;
import com.example.orders.fakes.Fixtures;
import com.example.orders.fakes.RecordingEventSink;
import com.example.orders.handler.OutboxRelayHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The outbox design end to end on a real table: the item's successive images (what the stream would
 * carry; dynalite has no streams) go through the relay handler. Each event leaves once per write that
 * added it, whatever else changes the item.
 */
class OutboxOnDynaliteTest {
  private static Dynalite dynalite;
  private static DynamoDbClient dynamo;

  private DynamoDbOrderStore store;
  private String table;
  private final RecordingEventSink sink = new RecordingEventSink();
  private int sequence;

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.start();
    dynamo = DynamoDbClient.builder()
        .endpointOverride(dynalite.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterAll
  static void stopDynalite() {
    dynamo.close();
    dynalite.close();
  }

  @BeforeEach
  void createTable() {
    table = "dev-orders-orders-" + UUID.randomUUID().toString().substring(0, 8);
    LocalAws.createTable(dynamo, table, "pk");
    store = new DynamoDbOrderStore(dynamo, table);
  }

  private Map<String, AttributeValue> item(String id) {
    return dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(id))).consistentRead(true)).item();
  }

  /** A stream record from two images of the item, the way DynamoDB Streams shapes it. */
  private DynamodbEvent.DynamodbStreamRecord record(String name, Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
    var stream = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
    stream.setSequenceNumber(Integer.toString(++sequence));
    stream.setKeys(Map.of("pk", streamValue(newImage != null ? newImage.get("pk") : oldImage.get("pk"))));
    stream.setOldImage(oldImage == null ? null : streamImage(oldImage));
    stream.setNewImage(newImage == null ? null : streamImage(newImage));
    var record = new DynamodbEvent.DynamodbStreamRecord();
    record.setEventName(name);
    record.setDynamodb(stream);
    return record;
  }

  private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> streamImage(
      Map<String, AttributeValue> item) {
    Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image = new HashMap<>();
    item.forEach((k, v) -> image.put(k, streamValue(v)));
    return image;
  }

  private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue streamValue(AttributeValue v) {
    var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    if (v.s() != null) {
      out.setS(v.s());
    } else if (v.n() != null) {
      out.setN(v.n());
    } else if (v.bool() != null) {
      out.setBOOL(v.bool());
    } else if (v.hasM()) {
      Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> m = new HashMap<>();
      v.m().forEach((k, x) -> m.put(k, streamValue(x)));
      out.setM(m);
    } else if (v.hasL()) {
      List<com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> l = new ArrayList<>();
      v.l().forEach(x -> l.add(streamValue(x)));
      out.setL(l);
    }
    return out;
  }

  private StreamsEventResponse relay(DynamodbEvent.DynamodbStreamRecord... records) {
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(List.of(records));
    return new OutboxRelayHandler(new OutboxRelay(sink, store)).handleRequest(event, null);
  }

  private Placement place(String key) {
    ObjectNode body = Fixtures.json("order-request.json");
    var request = ((Validation.Valid) new OrderValidator().validate(body, ChannelRule.API)).request();
    return new OrderPlacement(store, Fixtures.schemas(), Fixtures.CLOCK)
        .place(request, OrderIds.fromIdempotencyKey(key), key, RequestFingerprint.of(body), null);
  }

  @Test
  void orderLifecycle_shouldPublishOrderPlacedExactlyOnce_whenTheItemIsWrittenAgainAndAgain() {
    String id = place("k1").order().id();
    Map<String, AttributeValue> created = item(id);

    relay(record("INSERT", null, created));
    Map<String, AttributeValue> cleared = item(id);
    relay(record("MODIFY", created, cleared));
    store.applyStatus(id, OrderStatus.RESERVED,
        new StatusChange("RESERVED", "InventoryReserved", "evt_r", Fixtures.NOW.plusSeconds(1)));
    relay(record("MODIFY", cleared, item(id)));

    assertThat(cleared.get("outbox").m()).isEmpty();
    assertThat(sink.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("OrderPlaced");
      assertThat(e.id()).isEqualTo(created.get("outbox").m().keySet().iterator().next());
      assertThat(EventJson.writeEnvelope(e)).isEqualTo(created.get("outbox").m().get(e.id()).s());
    });
  }

  @Test
  void retriedInsert_shouldPublishTheSameEventId_whenTheStreamDeliversTheRecordAgain() {
    String id = place("k2").order().id();
    var insert = record("INSERT", null, item(id));

    relay(insert);
    relay(insert);

    assertThat(sink.published).extracting(Envelope::id).hasSize(2).containsOnly(sink.published.getFirst().id());
  }

  @Test
  void concurrentPosts_shouldCreateOneOrder_whenTheSameKeyRacesItself() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Placement>> racers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      racers.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return place("k-race");
      }));
    }
    start.countDown();
    List<Placement> results = new ArrayList<>();
    for (var racer : racers) {
      results.add(racer.get());
    }

    assertThat(results).filteredOn(p -> p instanceof Placement.Created).hasSize(1);
    assertThat(results).filteredOn(p -> p instanceof Placement.Replayed).hasSize(3);
    assertThat(results).extracting(p -> p.order().id()).containsOnly(OrderIds.fromIdempotencyKey("k-race"));
  }
}
