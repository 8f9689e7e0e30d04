package com.example.orders.dynamodb;

import com.example.fanout.testing.LocalAws;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.servers.Dynalite;
import com.example.orders.domain.ChannelRule;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderIds;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderStatus;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.Placement;
import com.example.orders.domain.ProjectionOutcome;
import com.example.orders.domain.RequestFingerprint;
import com.example.orders.domain.StatusChange;
import com.example.orders.domain.Validation;
import com.example.orders.fakes.Fixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/** The DynamoDB adapter against real dynalite: the conditions are what keeps retries and races safe. */
class DynamoDbOrderStoreTest {
  private static Dynalite dynalite;
  private static DynamoDbClient dynamo;

  private String table;
  private DynamoDbOrderStore store;
  private OrderPlacement placement;

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
    placement = new OrderPlacement(store, Fixtures.schemas(), Fixtures.CLOCK);
  }

  private static com.example.orders.domain.OrderRequest request(ObjectNode body) {
    return ((Validation.Valid) new OrderValidator().validate(body, ChannelRule.API)).request();
  }

  private Placement placeWithKey(String key, ObjectNode body) {
    return placement.place(request(body), OrderIds.fromIdempotencyKey(key), key, RequestFingerprint.of(body), null);
  }

  private Map<String, AttributeValue> item(String id) {
    return dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(id))).consistentRead(true)).item();
  }

  private String placedOrder() {
    return placeWithKey("k-" + UUID.randomUUID(), Fixtures.json("order-request.json")).order().id();
  }

  private static StatusChange change(OrderStatus status, String type, String eventId, Instant at) {
    return new StatusChange(status.name(), type, eventId, at);
  }

  @Test
  void create_shouldWriteTheOrderAndItsOutboxInOneItem_whenTheIdIsNew() {
    Placement placed = placeWithKey("k1", Fixtures.json("order-request.json"));

    assertThat(placed).isInstanceOf(Placement.Created.class);
    Map<String, AttributeValue> item = item(placed.order().id());
    assertThat(item.get("status").s()).isEqualTo("PLACED");
    assertThat(item.get("statusRank").n()).isEqualTo("10");
    assertThat(item.get("correlationId").s()).isEqualTo(placed.order().id());
    assertThat(item.get("outbox").m()).hasSize(1);
    String eventId = item.get("outbox").m().keySet().iterator().next();
    Envelope event = EventJson.readEnvelope(item.get("outbox").m().get(eventId).s());
    assertThat(event.id()).isEqualTo(eventId);
    assertThat(event.type()).isEqualTo("OrderPlaced");
    assertThat(event.data().get("orderId").asText()).isEqualTo(placed.order().id());
    assertThat(Fixtures.schemas().violations("OrderPlaced", 1, event.data())).isEmpty();
    assertThat(store.find(placed.order().id())).contains(placed.order());
  }

  @Test
  void create_shouldRefuseTheWrite_whenAnOrderWithTheIdExists() {
    Order order = placeWithKey("k1", Fixtures.json("order-request.json")).order();

    assertThat(store.create(order, List.of())).isFalse();
    assertThat(item(order.id()).get("outbox").m()).hasSize(1);
  }

  @Test
  void placeWithKey_shouldReplayTheOriginalOrder_whenTheSameKeyAndBodyComeAgain() {
    Placement first = placeWithKey("k1", Fixtures.json("order-request.json"));

    Placement again = placeWithKey("k1", Fixtures.json("order-request.json"));

    assertThat(again).isInstanceOf(Placement.Replayed.class);
    assertThat(again.order()).isEqualTo(first.order());
    assertThat(again.order().createdResponse()).isEqualTo(first.order().createdResponse());
  }

  @Test
  void placeWithKey_shouldReportTheKeyReused_whenTheBodyDiffers() {
    placeWithKey("k1", Fixtures.json("order-request.json"));

    Placement other = placeWithKey("k1", Fixtures.json("order-request.json").put("currency", "USD"));

    assertThat(other).isInstanceOf(Placement.KeyReused.class);
    assertThat(other.order().currency()).isEqualTo("EUR");
  }

  @Test
  void find_shouldBeEmpty_whenTheOrderDoesNotExist() {
    assertThat(store.find("ord_AAAAAAAAAAAAAAAAAAAA")).isEmpty();
  }

  @Test
  void applyStatus_shouldMoveForwardAndAppendHistory_whenTheStatusOutranksTheCurrentOne() {
    String id = placedOrder();

    ProjectionOutcome outcome = store.applyStatus(id, OrderStatus.RESERVED,
        change(OrderStatus.RESERVED, "InventoryReserved", "evt_r", Fixtures.NOW.plusSeconds(1)));

    assertThat(outcome).isEqualTo(ProjectionOutcome.APPLIED);
    Order order = store.find(id).orElseThrow();
    assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
    assertThat(order.updatedAt()).isEqualTo(Fixtures.NOW.plusSeconds(1));
    assertThat(order.statusHistory()).extracting(StatusChange::status).containsExactly("PLACED", "RESERVED");
    assertThat(item(id).get("outbox").m()).hasSize(1);
  }

  @Test
  void applyStatus_shouldIgnoreTheEvent_whenItIsADuplicateOrRanksLower() {
    String id = placedOrder();
    store.applyStatus(id, OrderStatus.PAYMENT_AUTHORIZED,
        change(OrderStatus.PAYMENT_AUTHORIZED, "PaymentAuthorized", "evt_p", Fixtures.NOW.plusSeconds(2)));

    ProjectionOutcome duplicate = store.applyStatus(id, OrderStatus.PAYMENT_AUTHORIZED,
        change(OrderStatus.PAYMENT_AUTHORIZED, "PaymentAuthorized", "evt_p", Fixtures.NOW.plusSeconds(2)));
    ProjectionOutcome lower = store.applyStatus(id, OrderStatus.RESERVED,
        change(OrderStatus.RESERVED, "InventoryReserved", "evt_r", Fixtures.NOW.plusSeconds(1)));

    assertThat(duplicate).isEqualTo(ProjectionOutcome.IGNORED_STALE);
    assertThat(lower).isEqualTo(ProjectionOutcome.IGNORED_STALE);
    Order order = store.find(id).orElseThrow();
    assertThat(order.status()).isEqualTo(OrderStatus.PAYMENT_AUTHORIZED);
    assertThat(order.statusHistory()).hasSize(2);
  }

  @Test
  void applyStatus_shouldIgnoreTheEvent_whenItOccurredBeforeTheLastAppliedOne() {
    String id = placedOrder();
    store.applyStatus(id, OrderStatus.RESERVED, change(OrderStatus.RESERVED, "InventoryReserved", "evt_r", Fixtures.NOW.plusSeconds(10)));

    ProjectionOutcome older = store.applyStatus(id, OrderStatus.SHIPPED,
        change(OrderStatus.SHIPPED, "OrderShipped", "evt_s", Fixtures.NOW.plusSeconds(5)));

    assertThat(older).isEqualTo(ProjectionOutcome.IGNORED_STALE);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(OrderStatus.RESERVED);
  }

  @Test
  void applyStatus_shouldNeverLeaveATerminalStatus_whenLaterEventsArrive() {
    String id = placedOrder();
    store.applyStatus(id, OrderStatus.REJECTED, change(OrderStatus.REJECTED, "OutOfStock", "evt_o", Fixtures.NOW.plusSeconds(1)));

    ProjectionOutcome shipped = store.applyStatus(id, OrderStatus.SHIPPED,
        change(OrderStatus.SHIPPED, "OrderShipped", "evt_s", Fixtures.NOW.plusSeconds(9)));
    ProjectionOutcome failed = store.applyStatus(id, OrderStatus.PAYMENT_FAILED,
        change(OrderStatus.PAYMENT_FAILED, "PaymentFailed", "evt_f", Fixtures.NOW.plusSeconds(9)));

    assertThat(shipped).isEqualTo(ProjectionOutcome.IGNORED_STALE);
    assertThat(failed).isEqualTo(ProjectionOutcome.IGNORED_STALE);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(OrderStatus.REJECTED);
  }

  @Test
  void applyStatus_shouldReportTheOrderMissing_whenNoOrderHasTheId() {
    ProjectionOutcome outcome = store.applyStatus("ord_AAAAAAAAAAAAAAAAAAAA", OrderStatus.RESERVED,
        change(OrderStatus.RESERVED, "InventoryReserved", "evt_r", Fixtures.NOW));

    assertThat(outcome).isEqualTo(ProjectionOutcome.ORDER_NOT_FOUND);
    assertThat(item("ord_AAAAAAAAAAAAAAAAAAAA")).isEmpty();
  }

  @Test
  void markStuck_shouldFlagOnceAndKeepTheStatus_whenNoProgressWasMade() {
    String id = placedOrder();
    StatusChange stuck = new StatusChange("STUCK", "SagaStuck", "evt_stuck", Fixtures.NOW.plusSeconds(3600));

    ProjectionOutcome first = store.markStuck(id, stuck, Fixtures.NOW);
    ProjectionOutcome duplicate = store.markStuck(id, stuck, Fixtures.NOW);

    assertThat(first).isEqualTo(ProjectionOutcome.APPLIED);
    assertThat(duplicate).isEqualTo(ProjectionOutcome.IGNORED_STALE);
    Order order = store.find(id).orElseThrow();
    assertThat(order.stuck()).isTrue();
    assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
    assertThat(order.statusHistory()).extracting(StatusChange::status).containsExactly("PLACED", "STUCK");
  }

  @Test
  void markStuck_shouldBeIgnored_whenTheOrderProgressedAfterTheReportOrShipped() {
    String progressed = placedOrder();
    store.applyStatus(progressed, OrderStatus.RESERVED,
        change(OrderStatus.RESERVED, "InventoryReserved", "evt_r", Fixtures.NOW.plusSeconds(30)));
    String shipped = placedOrder();
    store.applyStatus(shipped, OrderStatus.SHIPPED, change(OrderStatus.SHIPPED, "OrderShipped", "evt_s", Fixtures.NOW.plusSeconds(30)));

    assertThat(store.markStuck(progressed, new StatusChange("STUCK", "SagaStuck", "evt_x", Fixtures.NOW.plusSeconds(60)), Fixtures.NOW))
        .isEqualTo(ProjectionOutcome.IGNORED_STALE);
    assertThat(store.markStuck(shipped, new StatusChange("STUCK", "SagaStuck", "evt_y", Fixtures.NOW.plusSeconds(60)),
        Fixtures.NOW.plusSeconds(30))).isEqualTo(ProjectionOutcome.IGNORED_STALE);
  }

  @Test
  void applyStatus_shouldClearTheStuckFlag_whenTheOrderMovesOn() {
    String id = placedOrder();
    store.markStuck(id, new StatusChange("STUCK", "SagaStuck", "evt_stuck", Fixtures.NOW.plusSeconds(60)), Fixtures.NOW);

    store.applyStatus(id, OrderStatus.RESERVED, change(OrderStatus.RESERVED, "InventoryReserved", "evt_r", Fixtures.NOW.plusSeconds(90)));

    assertThat(store.find(id).orElseThrow().stuck()).isFalse();
  }

  @Test
  void remove_shouldClearPublishedEntries_whenTheRelayIsDone() {
    String id = placedOrder();
    String eventId = item(id).get("outbox").m().keySet().iterator().next();

    store.remove(id, List.of(eventId));
    store.remove(id, List.of(eventId));

    assertThat(item(id).get("outbox").m()).isEmpty();
    assertThat(item(id).get("status").s()).isEqualTo("PLACED");
  }

  @Test
  void remove_shouldDoNothing_whenTheOrderIsGone() {
    store.remove("ord_AAAAAAAAAAAAAAAAAAAA", List.of("evt_1"));

    assertThat(item("ord_AAAAAAAAAAAAAAAAAAAA")).isEmpty();
  }
}
