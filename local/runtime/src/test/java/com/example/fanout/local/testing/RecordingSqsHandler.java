package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.Tracer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every message; reports a batch item failure for a body that is not JSON or whose event
 * has {@code detail.data.fail = true}. Traces each message with the platform's tracer (the X-Ray SDK
 * in the local runtime, as in Lambda), as the consumer runtime does.
 */
public final class RecordingSqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final String function = FunctionName.current();
  private final Tracer tracer = Tracer.fromEnvironment();

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try (Span span = tracer.startSegment("handle " + function, m.getAttributes().get("AWSTraceHeader"))) {
        JsonNode body;
        try {
          body = EventJson.parse(m.getBody());
        } catch (RuntimeException notJson) {
          body = null;
        }
        boolean fail = body == null || body.path("detail").path("data").path("fail").asBoolean(false);
        Recorder.record(function, new ReceivedMessage(m.getMessageId(), m.getBody(), body, m.getAttributes(), fail));
        if (fail) {
          failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
        }
        if (body != null) {
          span.annotate(Span.CORRELATION_ID, body.path("detail").path("correlationId").asText())
              .annotate(Span.EVENT_ID, body.path("detail").path("id").asText())
              .annotate(Span.EVENT_TYPE, body.path("detail-type").asText());
        }
        span.outcome(fail ? "failed" : "ok");
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }
}
