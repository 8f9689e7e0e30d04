package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records stream records in order. A record whose new image has {@code fail_once} fails the first
 * time it is seen: it and every record after it are reported as batch item failures, as the
 * outbox relay does.
 */
public final class RecordingStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  public static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();
  private final String function = FunctionName.current();

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords();
    for (int i = 0; i < records.size(); i++) {
      DynamodbEvent.DynamodbStreamRecord r = records.get(i);
      var image = r.getDynamodb().getNewImage();
      if (image != null && image.containsKey("fail_once") && FAILED_ONCE.add(image.get("fail_once").getS())) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        records.subList(i, records.size()).forEach(f ->
            failures.add(new StreamsEventResponse.BatchItemFailure(f.getDynamodb().getSequenceNumber())));
        return new StreamsEventResponse(failures);
      }
      Recorder.record(function, r);
    }
    return new StreamsEventResponse(List.of());
  }
}
