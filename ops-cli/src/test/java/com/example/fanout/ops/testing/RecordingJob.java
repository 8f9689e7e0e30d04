package com.example.fanout.ops.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A scheduled job that records the ids of the runs it received. */
public final class RecordingJob implements RequestHandler<ScheduledEvent, Void> {
  private static final Queue<String> RUNS = new ConcurrentLinkedQueue<>();

  @Override
  public Void handleRequest(ScheduledEvent event, Context context) {
    RUNS.add(event.getId());
    return null;
  }

  /** The execution ids of the runs received, in order. */
  public static List<String> runs() {
    return List.copyOf(RUNS);
  }
}
