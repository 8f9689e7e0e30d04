package com.example.fanout.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.example.fanout.event.EventJson;
import com.example.fanout.runtime.FunctionEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every message; reports a batch item failure for a body that is not JSON or whose event
 * has {@code detail.data.fail = true}. Writes one span per message to {@code FANOUT_TRACE_FILE},
 * as the consumer runtime does.
 */
public final class RecordingSqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final String function = FunctionName.current();
  private final Path traceFile = FunctionEnvironment.get("FANOUT_TRACE_FILE").map(Path::of).orElse(null);

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      Instant start = Instant.now();
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
      writeSpan(body, start, fail, context);
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private void writeSpan(JsonNode body, Instant start, boolean failed, Context context) {
    if (traceFile == null || body == null) {
      return;
    }
    ObjectNode span = EventJson.mapper().createObjectNode();
    span.put("traceId", context.getXrayTraceId());
    span.put("spanId", Long.toHexString(System.nanoTime()));
    span.put("name", "handle " + function);
    span.put("correlationId", body.path("detail").path("correlationId").asText());
    span.put("eventId", body.path("detail").path("id").asText());
    span.put("eventType", body.path("detail-type").asText());
    span.put("start", start.toString());
    span.put("end", Instant.now().toString());
    span.put("outcome", failed ? "error" : "ok");
    try {
      synchronized (RecordingSqsHandler.class) {
        Files.writeString(traceFile, EventJson.write(span) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
