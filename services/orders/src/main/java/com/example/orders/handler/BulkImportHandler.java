package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.FunctionRuntime;
import com.example.fanout.runtime.InvocationOutcome;
import com.example.orders.domain.OrderPlacement;
import com.example.orders.domain.OrderValidator;
import com.example.orders.domain.imports.BulkImport;
import com.example.orders.dynamodb.DynamoDbOrderStore;
import com.example.orders.s3.S3ImportObjects;
import java.time.Clock;
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
