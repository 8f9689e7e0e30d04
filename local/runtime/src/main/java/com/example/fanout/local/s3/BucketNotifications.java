package com.example.fanout.local.s3;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.lambda.AsyncInvocations;
import com.example.fanout.local.lambda.LocalFunction;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 event notifications to Lambda: {@code s3:ObjectCreated:*} filtered by prefix and suffix, one
 * configuration per suffix as the manifest asks, invoked asynchronously with the notification's
 * JSON as S3 sends it, with Lambda's retries ({@link AsyncInvocations}, the defaults the bucket
 * module's event invoke config keeps). An event that failed every attempt goes to the bucket's
 * on-failure destination as Lambda's invocation record ({@code RetriesExhausted}, the event, the
 * last error), where {@code BucketEventDlqNotEmpty}'s runbook reads it.
 */
public final class BucketNotifications implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BucketNotifications.class);

  private final AsyncInvocations invocations;
  private final SpanLog spans;
  private final Map<String, List<Target>> byBucket = new ConcurrentHashMap<>();
  private final ExecutorService notifying = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong delivered = new AtomicLong();

  public BucketNotifications(S3Server server, AsyncInvocations invocations, SpanLog spans) {
    this.invocations = invocations;
    this.spans = spans;
    server.onObjectCreated(this::objectCreated);
  }

  /** @param onFailure where the record of an event that failed every attempt goes (the bucket's DLQ) */
  public void add(String bucket, String prefix, List<String> suffixes, LocalFunction function, Consumer<String> onFailure) {
    List<String> filters = suffixes.isEmpty() ? java.util.Collections.singletonList(null) : suffixes;
    for (String suffix : filters) {
      byBucket.computeIfAbsent(bucket, b -> new CopyOnWriteArrayList<>())
          .add(new Target(prefix == null ? "" : prefix, suffix, function, onFailure));
    }
  }

  /** Events a function handled. */
  public long delivered() {
    return delivered.get();
  }

  private void objectCreated(ObjectCreated created) {
    for (Target t : byBucket.getOrDefault(created.bucket(), List.of())) {
      if (created.key().startsWith(t.prefix()) && (t.suffix() == null || created.key().endsWith(t.suffix()))) {
        notifying.execute(() -> invoke(t, created));
      }
    }
  }

  private void invoke(Target target, ObjectCreated created) {
    LocalFunction function = target.function();
    ObjectNode event = notification(created);
    String object = created.bucket() + "/" + created.key();
    EventRef ref = new EventRef(null, null, "s3:ObjectCreated:Put");
    Instant start = Instant.now();
    Optional<Exception> failure;
    try {
      failure = invocations.invoke(function, event, "ObjectCreated " + object, target.onFailure());
    } catch (InterruptedException e) {
      LOG.info("{}: ObjectCreated {} not handled: the platform stopped before its attempts ended (the queue's stop says whether it"
          + " is kept)", function.name(), object);
      Thread.currentThread().interrupt();
      return;
    }
    if (failure.isEmpty()) {
      delivered.incrementAndGet();
      spans.record("s3", "ObjectCreated to " + function.name(), ref, null, start, Instant.now(), Span.OK, object);
      return;
    }
    spans.hop("s3", "ObjectCreated sent to the on-failure destination", ref, null, Span.ERROR, object);
  }

  /** The notification as S3 sends it (event structure version 2.1), keys URL-encoded as S3 encodes them. */
  static ObjectNode notification(ObjectCreated c) {
    ObjectNode json = EventJson.mapper().createObjectNode();
    ObjectNode record = json.putArray("Records").addObject();
    record.put("eventVersion", "2.1");
    record.put("eventSource", "aws:s3");
    record.put("awsRegion", "us-east-1");
    record.put("eventTime", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    record.put("eventName", "ObjectCreated:Put");
    record.putObject("userIdentity").put("principalId", "local");
    record.putObject("requestParameters").put("sourceIPAddress", c.sourceIp());
    record.putObject("responseElements").put("x-amz-request-id", "local").put("x-amz-id-2", "local");
    ObjectNode s3 = record.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", "local-" + c.bucket());
    ObjectNode bucket = s3.putObject("bucket");
    bucket.put("name", c.bucket());
    bucket.putObject("ownerIdentity").put("principalId", "local");
    bucket.put("arn", "arn:aws:s3:::" + c.bucket());
    ObjectNode object = s3.putObject("object");
    object.put("key", URLEncoder.encode(c.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
    object.put("size", c.size());
    object.put("eTag", c.eTag());
    object.put("sequencer", Long.toHexString(System.nanoTime()).toUpperCase(java.util.Locale.ROOT));
    return json;
  }

  @Override
  public void close() {
    notifying.shutdownNow();
  }

  private record Target(String prefix, String suffix, LocalFunction function, Consumer<String> onFailure) {}
}
