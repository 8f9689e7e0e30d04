package com.example.fanout.ops.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An import that records the keys of the objects it imported, and fails every invocation while
 * {@link #BROKEN} is set (a file it cannot read, until the "fix"), so that Lambda's retries end with
 * the invocation record in the bucket's DLQ.
 */
public final class RecordingImport implements RequestHandler<S3Event, Void> {
  public static final AtomicBoolean BROKEN = new AtomicBoolean();
  private static final Queue<String> IMPORTED = new ConcurrentLinkedQueue<>();

  @Override
  public Void handleRequest(S3Event event, Context context) {
    if (BROKEN.get()) {
      throw new IllegalStateException("line 2: unknown sku SKU-1 (scenario)");
    }
    event.getRecords().forEach(r -> IMPORTED.add(r.getS3().getObject().getUrlDecodedKey()));
    return null;
  }

  /** The keys of the objects imported, in order. */
  public static List<String> imported() {
    return List.copyOf(IMPORTED);
  }
}
