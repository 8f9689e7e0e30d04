package com.example.fanout.testing;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.local.servers.Dynalite;
import com.example.fanout.local.servers.ElasticMq;
import com.example.fanout.publish.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a consumer test runs against: ElasticMQ (and dynalite, if asked) started once for the test
 * class, and for each test a new DLQ, a new idempotency table and a fresh EventBridge stand-in, so
 * tests sharing the servers never see each other's messages or records.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ConsumerAws aws = ConsumerAws.withDynamoDb("idempotency-dlq");
 * ...
 * ConsumerRuntime runtime = aws.runtime("inventory", "reserve-stock").idempotency(...).build();
 * }</pre>
 */
public final class ConsumerAws implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final String dlqPrefix;
  private final boolean withDynamoDb;

  private ElasticMq sqsServer;
  private SqsClient sqs;
  private Dynalite dynalite;
  private DynamoDbClient dynamoDb;

  private FakeEventBridge eventBridge;
  private String dlqUrl;
  private String idempotencyTable;

  private ConsumerAws(String dlqPrefix, boolean withDynamoDb) {
    this.dlqPrefix = dlqPrefix;
    this.withDynamoDb = withDynamoDb;
  }

  /** ElasticMQ only. */
  public static ConsumerAws sqsOnly(String dlqPrefix) {
    return new ConsumerAws(dlqPrefix, false);
  }

  /** ElasticMQ and dynalite, with an idempotency table per test. */
  public static ConsumerAws withDynamoDb(String dlqPrefix) {
    return new ConsumerAws(dlqPrefix, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    sqsServer = ElasticMq.start(0);
    sqs = LocalAws.sqs(sqsServer.endpoint());
    if (withDynamoDb) {
      dynalite = Dynalite.start();
      dynamoDb = LocalAws.dynamoDb(dynalite.endpoint());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    sqs.close();
    sqsServer.close();
    if (withDynamoDb) {
      dynamoDb.close();
      dynalite.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    eventBridge = new FakeEventBridge();
    dlqUrl = LocalAws.newQueue(sqs, dlqPrefix);
    idempotencyTable = withDynamoDb ? LocalAws.newIdempotencyTable(dynamoDb) : null;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    eventBridge.close();
  }

  /**
   * A runtime of {@code <service>.<consumer>} on these servers: this test's DLQ, the EventBridge
   * stand-in as bus {@code dev-fanout}, one publish attempt without backoff.
   */
  public ConsumerRuntime.Builder runtime(String service, String consumer) {
    return ConsumerRuntime.builder()
        .service(service).consumer(consumer)
        .sqs(sqs).deadLetterQueueUrl(dlqUrl)
        .eventBridge(eventBridge.client(), "dev-fanout")
        .publishRetry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO, () -> 0));
  }

  public SqsClient sqs() {
    return sqs;
  }

  public DynamoDbClient dynamoDb() {
    if (!withDynamoDb) {
      throw new IllegalStateException("built with sqsOnly: use ConsumerAws.withDynamoDb for dynalite");
    }
    return dynamoDb;
  }

  public FakeEventBridge eventBridge() {
    return eventBridge;
  }

  /** The URL a queue of that name has, or would have, on the ElasticMQ server: a DLQ that does not exist. */
  public String queueUrl(String name) {
    return sqsServer.queueUrl(name);
  }

  /** This test's dead-letter queue. */
  public String dlqUrl() {
    return dlqUrl;
  }

  /** This test's idempotency table, as Terraform creates it. */
  public String idempotencyTable() {
    dynamoDb();
    return idempotencyTable;
  }
}
