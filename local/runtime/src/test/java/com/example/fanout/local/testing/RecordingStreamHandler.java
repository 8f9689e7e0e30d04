package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records stream records in order. A record whose new image has {@code fail_once} fails the first
 * time it is seen, one with {@code fail_always} every time: it and every record after it are
 * reported as batch item failures, as the outbox relay does. A record with {@code wait_for} holds its batch until the test opens the
 * {@link #GATES gate} of that name; one with {@code sleep_ms} takes that long (a relay falling behind).
 */
public final class RecordingStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  public static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();
  public static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
  private final String function = FunctionName.current();

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords();
    for (int i = 0; i < records.size(); i++) {
      DynamodbEvent.DynamodbStreamRecord r = records.get(i);
      var image = r.getDynamodb().getNewImage();
      if (image != null) {
        hold(image);
      }
      if (image != null && (image.containsKey("fail_always")
          || image.containsKey("fail_once") && FAILED_ONCE.add(image.get("fail_once").getS()))) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        records.subList(i, records.size()).forEach(f ->
            failures.add(new StreamsEventResponse.BatchItemFailure(f.getDynamodb().getSequenceNumber())));
        return new StreamsEventResponse(failures);
      }
      Recorder.record(function, r);
    }
    return new StreamsEventResponse(List.of());
  }

  private static void hold(Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
    try {
      if (image.containsKey("wait_for")) {
        CountDownLatch gate = GATES.get(image.get("wait_for").getS());
        if (gate != null) {
          gate.await(30, TimeUnit.SECONDS);
        }
      }
      if (image.containsKey("sleep_ms")) {
        Thread.sleep(Long.parseLong(image.get("sleep_ms").getS()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
