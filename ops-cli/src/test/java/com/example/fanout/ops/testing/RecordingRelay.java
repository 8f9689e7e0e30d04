package com.example.fanout.ops.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream relay that records the partition keys of the records it handled, and fails every batch
 * while {@link #BROKEN} is set (the bus unreachable, until the "fix"), so that its stream mapping
 * gives up on the records and describes them in the relay's on-failure DLQ.
 */
public final class RecordingRelay implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  public static final AtomicBoolean BROKEN = new AtomicBoolean();
  private static final Queue<String> HANDLED = new ConcurrentLinkedQueue<>();

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    if (BROKEN.get()) {
      throw new IllegalStateException("the event bus is unreachable (scenario)");
    }
    event.getRecords().forEach(r -> HANDLED.add(r.getDynamodb().getKeys().values().iterator().next().getS()));
    return new StreamsEventResponse(List.of());
  }

  /** The partition keys of the records handled, in order. */
  public static List<String> handled() {
    return List.copyOf(HANDLED);
  }
}
