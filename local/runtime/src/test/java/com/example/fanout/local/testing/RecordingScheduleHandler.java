package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

public final class RecordingScheduleHandler implements RequestHandler<ScheduledEvent, Void> {
  private final String function = FunctionName.current();

  @Override
  public Void handleRequest(ScheduledEvent event, Context context) {
    Recorder.record(function, event);
    return null;
  }
}
