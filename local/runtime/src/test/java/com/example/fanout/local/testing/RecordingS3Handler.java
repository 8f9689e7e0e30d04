package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;

/** Records each object's key; fails on a key whose file name starts with {@code fail-}, every time. */
public final class RecordingS3Handler implements RequestHandler<S3Event, Void> {
  private final String function = FunctionName.current();

  @Override
  public Void handleRequest(S3Event event, Context context) {
    event.getRecords().forEach(r -> {
      String key = r.getS3().getObject().getKey();
      Recorder.record(function, key);
      if (key.substring(key.lastIndexOf('/') + 1).startsWith("fail-")) {
        throw new IllegalStateException("cannot import " + key);
      }
    });
    return null;
  }
}
