package com.example.fanout.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.idempotency.internal.IdempotencyHandler;
import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * A duplicate costs the conditional put alone where the store returns the old item (DynamoDB's
 * {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}), and one consistent read more where it does
 * not (dynalite 4.0.0): both counted here, call by call.
 */
class ConditionalPutReturnsOldItemTest {
  private static final String KEY = "inventory.reserve-stock#evt_dup";
  private static Dynalite server;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final List<String> operations = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startDynalite() {
    server = Dynalite.start();
  }

  @AfterAll
  static void stopDynalite() {
    server.close();
  }

  private DynamoDbClient countingClient(URI endpoint) {
    ExecutionInterceptor counter = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        operations.add(context.request().getClass().getSimpleName().replace("Request", ""));
        if (context.request() instanceof PutItemRequest put) {
          assertThat(put.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        }
      }
    };
    return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
        .build();
  }

  @Test
  void run_shouldFallBackToOneConsistentRead_whenTheStoreReturnsNoOldItem() throws Exception {
    try (DynamoDbClient ddb = countingClient(server.endpoint())) {
      String table = com.example.fanout.testing.LocalAws.newIdempotencyTable(ddb);
      IdempotencyHandler handler = new IdempotencyHandler(new DynamoDbPersistenceStore(ddb, table, IdempotencyConfig.defaults(), clock));
      handler.run(KEY, "hash", 60_000, () -> "[]");
      operations.clear();

      IdempotencyHandler.Result duplicate = handler.run(KEY, "hash", 60_000, () -> "ran again");

      assertThat(duplicate).isEqualTo(new IdempotencyHandler.Result("[]", true));
      assertThat(operations).containsExactly("PutItem", "GetItem");
    }
  }

  @Test
  void run_shouldNotReadAgain_whenTheFailedConditionReturnsTheOldItem() throws Exception {
    Map<String, AttributeValue> completed = Map.of(
        "id", AttributeValue.fromS(KEY), "status", AttributeValue.fromS("COMPLETED"),
        "expiration", AttributeValue.fromN(Long.toString(clock.instant().plusSeconds(3600).getEpochSecond())),
        "data", AttributeValue.fromS("[]"), "validation", AttributeValue.fromS("hash"));
    IdempotencyHandler handler = handlerOver(conditionFailingWith(completed));

    IdempotencyHandler.Result duplicate = handler.run(KEY, "hash", 60_000, () -> "ran again");

    assertThat(duplicate).isEqualTo(new IdempotencyHandler.Result("[]", true));
    assertThat(operations).containsExactly("PutItem");
  }

  @Test
  void run_shouldFailValidation_whenTheReturnedOldItemWasWrittenForOtherData() {
    IdempotencyHandler handler = handlerOver(conditionFailingWith(Map.of(
        "id", AttributeValue.fromS(KEY), "status", AttributeValue.fromS("COMPLETED"),
        "expiration", AttributeValue.fromN(Long.toString(clock.instant().plusSeconds(3600).getEpochSecond())),
        "validation", AttributeValue.fromS("other-hash"))));

    assertThatThrownBy(() -> handler.run(KEY, "hash", 60_000, () -> UUID.randomUUID().toString()))
        .isInstanceOf(IdempotencyValidationException.class);
  }

  @Test
  void run_shouldClaimAgainInProcess_whenTheRecordWasReleasedBetweenPutAndGet() throws Exception {
    ScriptedStore store = new ScriptedStore(clock, 1);
    List<String> ran = new CopyOnWriteArrayList<>();

    IdempotencyHandler.Result result = new IdempotencyHandler(store).run(KEY, "hash", 60_000, () -> {
      ran.add("body");
      return "[]";
    });

    assertThat(result.duplicate()).isFalse();
    assertThat(ran).hasSize(1);
    assertThat(store.puts).isEqualTo(2);
  }

  @Test
  void run_shouldThrowInconsistentState_whenTheRecordKeepsChangingBetweenPutAndGet() {
    ScriptedStore store = new ScriptedStore(clock, Integer.MAX_VALUE);

    assertThatThrownBy(() -> new IdempotencyHandler(store).run(KEY, "hash", 60_000, () -> "[]"))
        .isInstanceOf(IdempotencyInconsistentStateException.class)
        .hasMessageContaining(KEY);
    assertThat(store.puts).isEqualTo(3);
  }

  private IdempotencyHandler handlerOver(DynamoDbClient dynamoDb) {
    return new IdempotencyHandler(new DynamoDbPersistenceStore(dynamoDb, "t", IdempotencyConfig.defaults(), clock));
  }

  /** DynamoDB as it answers a claim on a taken key: the old item comes back only if ALL_OLD was asked for. */
  private DynamoDbClient conditionFailingWith(Map<String, AttributeValue> oldItem) {
    return new DynamoDbClient() {
      @Override
      public PutItemResponse putItem(PutItemRequest request) {
        operations.add("PutItem");
        throw ConditionalCheckFailedException.builder().message("The conditional request failed")
            .item(request.returnValuesOnConditionCheckFailure() == ReturnValuesOnConditionCheckFailure.ALL_OLD ? oldItem : null)
            .build();
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
  }

  /** A store whose claim fails {@code conflicts} times, each time with the record gone when read. */
  private static final class ScriptedStore extends BasePersistenceStore {
    private final int conflicts;
    int puts;

    ScriptedStore(MutableClock clock, int conflicts) {
      super(new IdempotencyConfig(Duration.ofHours(1)), clock);
      this.conflicts = conflicts;
    }

    @Override
    protected void putRecord(DataRecord record, Instant now) {
      if (++puts <= conflicts) {
        throw new IdempotencyItemAlreadyExistsException("a live idempotency record holds " + record.idempotencyKey());
      }
    }

    @Override
    protected java.util.Optional<DataRecord> readRecord(String key) {
      return java.util.Optional.empty();
    }

    @Override
    protected void updateRecord(DataRecord record) {}

    @Override
    protected void removeRecord(String key) {}
  }
}
