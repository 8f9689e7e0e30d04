package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;

public final class RecordingStreamHandler implements RequestHandler<DynamodbEvent, Void> {
  private final String function = FunctionName.current();

  @Override
  public Void handleRequest(DynamodbEvent event, Context context) {
    event.getRecords().forEach(r -> Recorder.record(function, r));
    return null;
  }
}
