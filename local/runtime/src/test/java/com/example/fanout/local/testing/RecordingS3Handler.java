package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;

public final class RecordingS3Handler implements RequestHandler<S3Event, Void> {
  private final String function = FunctionName.current();

  @Override
  public Void handleRequest(S3Event event, Context context) {
    event.getRecords().forEach(r -> Recorder.record(function, r.getS3().getObject().getKey()));
    return null;
  }
}
