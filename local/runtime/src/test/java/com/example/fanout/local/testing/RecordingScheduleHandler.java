package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.concurrent.atomic.AtomicBoolean;

/** Records each run; fails every run while {@link #FAILING} is set. */
public final class RecordingScheduleHandler implements RequestHandler<ScheduledEvent, Void> {
  public static final AtomicBoolean FAILING = new AtomicBoolean();
  private final String function = FunctionName.current();

  @Override
  public Void handleRequest(ScheduledEvent event, Context context) {
    Recorder.record(function, event);
    if (FAILING.get()) {
      throw new IllegalStateException("run " + event.getId() + " failed (test)");
    }
    return null;
  }
}
