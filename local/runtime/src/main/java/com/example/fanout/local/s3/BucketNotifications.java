package com.example.fanout.local.s3;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.example.fanout.local.lambda.LocalFunction;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.Span;
import com.example.fanout.local.observability.SpanLog;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 event notifications to Lambda: {@code s3:ObjectCreated:*} filtered by prefix and suffix, one
 * configuration per suffix as the manifest asks, invoked asynchronously with Lambda's two retries.
 */
public final class BucketNotifications implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BucketNotifications.class);
  private static final int ASYNC_ATTEMPTS = 3;

  private final SpanLog spans;
  private final Map<String, List<Target>> byBucket = new ConcurrentHashMap<>();
  private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong delivered = new AtomicLong();

  public BucketNotifications(S3Server server, SpanLog spans) {
    this.spans = spans;
    server.onObjectCreated(this::objectCreated);
  }

  public void add(String bucket, String prefix, List<String> suffixes, LocalFunction function) {
    List<String> filters = suffixes.isEmpty() ? java.util.Collections.singletonList(null) : suffixes;
    for (String suffix : filters) {
      byBucket.computeIfAbsent(bucket, b -> new CopyOnWriteArrayList<>())
          .add(new Target(prefix == null ? "" : prefix, suffix, function));
    }
  }

  public long delivered() {
    return delivered.get();
  }

  private void objectCreated(ObjectCreated created) {
    for (Target t : byBucket.getOrDefault(created.bucket(), List.of())) {
      if (created.key().startsWith(t.prefix()) && (t.suffix() == null || created.key().endsWith(t.suffix()))) {
        invocations.execute(() -> invoke(t.function(), created));
      }
    }
  }

  private void invoke(LocalFunction function, ObjectCreated created) {
    S3Event event = toEvent(created);
    EventRef ref = new EventRef(null, null, "s3:ObjectCreated:Put");
    for (int attempt = 1; attempt <= ASYNC_ATTEMPTS; attempt++) {
      Instant start = Instant.now();
      try {
        function.invoke(event);
        delivered.incrementAndGet();
        spans.record("s3", "ObjectCreated to " + function.name(), ref, null, start, Instant.now(), Span.OK,
            created.bucket() + "/" + created.key());
        return;
      } catch (Exception e) {
        LOG.warn("{}: ObjectCreated {}/{} failed (attempt {} of {}): {}", function.name(), created.bucket(), created.key(),
            attempt, ASYNC_ATTEMPTS, e.toString());
      }
    }
    spans.hop("s3", "ObjectCreated dropped after retries", ref, null, Span.ERROR, created.bucket() + "/" + created.key());
  }

  static S3Event toEvent(ObjectCreated c) {
    String encodedKey = URLEncoder.encode(c.key(), StandardCharsets.UTF_8).replace("%2F", "/");
    var record = new S3EventNotification.S3EventNotificationRecord(
        "us-east-1", "ObjectCreated:Put", "aws:s3", Instant.now().toString(), "2.1",
        new S3EventNotification.RequestParametersEntity(c.sourceIp()),
        new S3EventNotification.ResponseElementsEntity("local", "local"),
        new S3EventNotification.S3Entity("local-" + c.bucket(),
            new S3EventNotification.S3BucketEntity(c.bucket(), new S3EventNotification.UserIdentityEntity("local"),
                "arn:aws:s3:::" + c.bucket()),
            new S3EventNotification.S3ObjectEntity(encodedKey, c.size(), c.eTag(), null, Long.toHexString(System.nanoTime())),
            "1.0"),
        new S3EventNotification.UserIdentityEntity("local"));
    return new S3Event(List.of(record));
  }

  @Override
  public void close() {
    invocations.shutdownNow();
  }

  private record Target(String prefix, String suffix, LocalFunction function) {}
}
