package com.example.fanout.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.testing.LocalAws;
import com.example.fanout.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbPersistenceStoreTest {
  private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
  private static Dynalite server;
  private static DynamoDbClient ddb;

  private final MutableClock clock = new MutableClock(START);
  private String table;
  private DynamoDbPersistenceStore store;

  @BeforeAll
  static void startDynalite() {
    server = Dynalite.start();
    ddb = LocalAws.dynamoDb(server.endpoint());
  }

  @AfterAll
  static void stopDynalite() {
    ddb.close();
    server.close();
  }

  @BeforeEach
  void setUp() {
    table = LocalAws.newIdempotencyTable(ddb);
    store = new DynamoDbPersistenceStore(ddb, table, new IdempotencyConfig(Duration.ofHours(1)), clock);
  }

  private Map<String, AttributeValue> rawItem(String key) {
    return ddb.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true)).item();
  }

  @Test
  void saveInProgressAndSuccess_shouldWritePowertoolsRecordLayout_whenKeyIsFree() {
    store.saveInProgress("inventory.reserve-stock#evt_1", "hash-1", 20_000);

    Map<String, AttributeValue> inProgress = rawItem("inventory.reserve-stock#evt_1");
    assertThat(inProgress.get("id").s()).isEqualTo("inventory.reserve-stock#evt_1");
    assertThat(inProgress.get("status").s()).isEqualTo("INPROGRESS");
    assertThat(inProgress.get("expiration").n()).isEqualTo(Long.toString(START.plusSeconds(3600).getEpochSecond()));
    assertThat(inProgress.get("in_progress_expiration").n()).isEqualTo(Long.toString(START.toEpochMilli() + 20_000));
    assertThat(inProgress.get("validation").s()).isEqualTo("hash-1");

    clock.advance(Duration.ofSeconds(5));
    store.saveSuccess("inventory.reserve-stock#evt_1", "hash-1", "[]");

    Map<String, AttributeValue> completed = rawItem("inventory.reserve-stock#evt_1");
    assertThat(completed.get("status").s()).isEqualTo("COMPLETED");
    assertThat(completed.get("data").s()).isEqualTo("[]");
    assertThat(completed.get("expiration").n()).isEqualTo(Long.toString(START.plusSeconds(3605).getEpochSecond()));
  }

  @Test
  void saveInProgress_shouldThrowAlreadyExists_whenKeyIsHeldOrCompleted() {
    store.saveInProgress("k", "h", 20_000);
    assertThatThrownBy(() -> store.saveInProgress("k", "h", 20_000)).isInstanceOf(IdempotencyItemAlreadyExistsException.class);

    store.saveSuccess("k", "h", "[]");
    clock.advance(Duration.ofMinutes(30));
    assertThatThrownBy(() -> store.saveInProgress("k", "h", 20_000)).isInstanceOf(IdempotencyItemAlreadyExistsException.class);
  }

  @Test
  void saveInProgress_shouldTakeOver_whenInProgressClaimLapsed() {
    store.saveInProgress("k", "h", 1_000);
    clock.advance(Duration.ofMillis(1_001));

    store.saveInProgress("k", "h", 20_000);

    assertThat(rawItem("k").get("in_progress_expiration").n()).isEqualTo(Long.toString(START.toEpochMilli() + 1_001 + 20_000));
  }

  @Test
  void saveInProgress_shouldSucceed_whenCompletedRecordExpired() {
    store.saveInProgress("k", "h", 1_000);
    store.saveSuccess("k", "h", "[]");
    clock.advance(Duration.ofHours(1).plusSeconds(1));

    store.saveInProgress("k", "h2", 1_000);

    assertThat(rawItem("k").get("status").s()).isEqualTo("INPROGRESS");
  }

  @Test
  void getRecord_shouldThrowValidation_whenPayloadHashDiffers() {
    store.saveInProgress("k", "hash-a", 20_000);

    assertThatThrownBy(() -> store.getRecord("k", "hash-b"))
        .isInstanceOf(IdempotencyValidationException.class)
        .hasMessageContaining("different data");
    assertThat(store.getRecord("k", "hash-a")).get().extracting(DataRecord::status).isEqualTo(DataRecord.Status.INPROGRESS);
  }

  @Test
  void saveInProgress_shouldLetExactlyOneClaimWin_whenManyRaceForOneKey() throws Exception {
    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            store.saveInProgress("contended", "h", 20_000);
            return true;
          } catch (IdempotencyItemAlreadyExistsException lost) {
            return false;
          }
        }));
      }
      start.countDown();
      long winners = 0;
      for (Future<Boolean> result : results) {
        winners += result.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void hash_shouldIgnoreKeyOrder_whenPayloadsAreEqual() {
    var a = com.example.fanout.event.EventJson.parse("{\"a\":1,\"b\":{\"x\":[1,2],\"y\":\"z\"}}");
    var b = com.example.fanout.event.EventJson.parse("{\"b\":{\"y\":\"z\",\"x\":[1,2]},\"a\":1}");
    var c = com.example.fanout.event.EventJson.parse("{\"a\":2,\"b\":{\"y\":\"z\",\"x\":[1,2]}}");

    assertThat(BasePersistenceStore.hash(a)).isEqualTo(BasePersistenceStore.hash(b)).isNotEqualTo(BasePersistenceStore.hash(c));
  }
}
