package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionRuntime;
import com.example.fanout.runtime.InvocationOutcome;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.imports.BulkImport;
import com.example.orders.domain.imports.ImportObjects;
import com.example.orders.dynamodb.DynamoDbOrderStore;
import com.example.orders.s3.S3ImportObjects;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Clock;
import java.util.List;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports order files dropped under {@code incoming/} in the imports bucket (S3 ObjectCreated
 * notifications). A failure (the table throttled, S3 unreachable) fails the invocation, and Lambda's
 * asynchronous retries run the whole file again: lines already imported are recognised, not repeated.
 */
public final class BulkImportHandler implements RequestHandler<S3Event, Void> {
  /** Import files SnapStart priming imports ({@link #primeImports}), and the order lines of each. */
  static final int PRIMING_IMPORTS = 20;
  static final int PRIMING_LINES = 10;
  private static final Logger LOG = LoggerFactory.getLogger(BulkImportHandler.class);

  private final BulkImport bulkImport;
  private final String bucket;
  private final FunctionRuntime runtime;

  /** Lambda: {@code TABLE_ORDERS} and {@code BUCKET_IMPORTS} from the function's environment. */
  public BulkImportHandler() {
    this(FunctionRuntime.fromEnvironment());
  }

  private BulkImportHandler(FunctionRuntime runtime) {
    this(runtime, new BulkImport(new S3ImportObjects(runtime.clients().s3()), new OrderValidator(),
            new OrderPlacement(new DynamoDbOrderStore(runtime.clients().dynamoDb(), FunctionEnvironment.table("orders")),
                runtime.schemas(), Clock.systemUTC()),
            Clock.systemUTC()),
        FunctionEnvironment.bucket("imports"));
    // Every call an import makes goes to the orders table and the imports bucket through the runtime's clients.
    runtime.primeInvocations(this::primeImports);
  }

  /** Tests: an import over fake ports; {@code bucket} is the imports bucket, others are ignored (null accepts any). */
  public BulkImportHandler(BulkImport bulkImport, String bucket) {
    this(FunctionRuntime.fromEnvironment(), bulkImport, bucket);
  }

  private BulkImportHandler(FunctionRuntime runtime, BulkImport bulkImport, String bucket) {
    this.runtime = runtime;
    this.bulkImport = Objects.requireNonNull(bulkImport, "bulkImport");
    this.bucket = bucket;
  }

  /**
   * SnapStart's invoke priming (ADR 0120): {@value #PRIMING_IMPORTS} notifications of a new import
   * file, each through the whole handler, whose file is read from memory instead of the bucket:
   * {@value #PRIMING_LINES} CSV lines of the catalog's OrderPlaced sample, each with an order ref of
   * its own, the last with an e-mail address the validator rejects. Its orders are placed, its rejects
   * and summary written, as a real import's are. Returns the imports that failed.
   */
  int primeImports(IntFunction<Context> contexts) {
    String file = primingFile(EventJson.parse(runtime.schemas().catalog().requireSample("OrderPlaced")).path("data"));
    String into = bucket == null ? "prime" : bucket;
    BulkImportHandler priming = new BulkImportHandler(runtime, bulkImport.withObjects(objects -> new ImportObjects() {
      @Override
      public BufferedReader open(String fromBucket, String fromKey) {
        return new BufferedReader(new StringReader(file));
      }

      @Override
      public void put(String toBucket, String toKey, String content, String contentType) {
        objects.put(toBucket, toKey, content, contentType);
      }
    }), into);
    int failed = 0;
    for (int i = 0; i < PRIMING_IMPORTS; i++) {
      try {
        priming.handleRequest(objectCreated(into, BulkImport.INCOMING + "prime-" + i + ".csv"), contexts.apply(i));
      } catch (RuntimeException e) {
        failed++;
      }
    }
    return failed;
  }

  /** A CSV import file of the order in {@code sample} (an OrderPlaced's data), its last line's e-mail address invalid. */
  static String primingFile(JsonNode sample) {
    JsonNode item = sample.path("items").path(0);
    StringBuilder file = new StringBuilder("customerId,customerEmail,sku,quantity,unitPriceCents,currency,paymentToken,orderRef\n");
    for (int line = 1; line <= PRIMING_LINES; line++) {
      String email = line < PRIMING_LINES ? sample.path("customerEmail").asText() : "not-an-email";
      file.append(String.join(",", sample.path("customerId").asText(), email, item.path("sku").asText(),
          item.path("quantity").asText(), item.path("unitPriceCents").asText(), sample.path("currency").asText(),
          sample.path("paymentToken").asText(), "PO-prime-" + line)).append('\n');
    }
    return file.toString();
  }

  /** S3's notification of {@code key} created in {@code bucket}, as it invokes the function. */
  private static S3Event objectCreated(String bucket, String key) {
    var object = new S3EventNotification.S3ObjectEntity(key, 0L, "prime", null, "prime");
    var entity = new S3EventNotification.S3Entity("prime", new S3EventNotification.S3BucketEntity(bucket, null, "arn:aws:s3:::" + bucket),
        object, "1.0");
    return new S3Event(List.of(new S3EventNotification.S3EventNotificationRecord(FunctionEnvironment.get("AWS_REGION").orElse("us-east-1"),
        "ObjectCreated:Put", "aws:s3", java.time.Instant.now().toString(), "2.1", null, null, entity, null)));
  }

  @Override
  public Void handleRequest(S3Event event, Context context) {
    int objects = event == null || event.getRecords() == null ? 0 : event.getRecords().size();
    return runtime.invoke(context, "s3", objectKeys(event), () -> handle(event), done -> InvocationOutcome.ofBatch(objects, 0));
  }

  /** The keys of the objects the notification is about: each import file is one unit of work. */
  static String objectKeys(S3Event event) {
    return event == null || event.getRecords() == null ? null : event.getRecords().stream()
        .map(r -> r.getS3().getObject().getUrlDecodedKey()).distinct().limit(10)
        .collect(java.util.stream.Collectors.joining(","));
  }

  private Void handle(S3Event event) {
    if (event.getRecords() == null) {
      return null;
    }
    for (S3EventNotificationRecord record : event.getRecords()) {
      String from = record.getS3().getBucket().getName();
      String key = record.getS3().getObject().getUrlDecodedKey();
      if (bucket != null && !bucket.equals(from)) {
        LOG.warn("ignoring s3://{}/{}: not the imports bucket {}", from, key, bucket);
        continue;
      }
      try {
        bulkImport.run(from, key);
      } catch (NoSuchKeyException e) {
        // Deleted before we got to it: nothing to import, and a retry would not find it either.
        LOG.warn("s3://{}/{} no longer exists; nothing imported", from, key);
      }
    }
    return null;
  }
}
