package com.example.fanout.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cold-start floor: an SQS handler with only aws-lambda-java-events and Jackson, doing the least
 * a consumer must (parse each body, bind {@code detail.data} to a map), and reporting failures.
 */
public final class FloorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        JsonNode body = MAPPER.readTree(m.getBody());
        Map<?, ?> data = MAPPER.convertValue(body.path("detail").path("data"), Map.class);
        if (data == null || data.isEmpty()) {
          failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        }
      } catch (Exception e) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }
}
