package com.example.fanout.local.lambda;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The invocation record Lambda sends to an on-failure destination: {@code version},
 * {@code timestamp}, {@code requestContext} and {@code responseContext}, which every such record
 * has, and what the kind of invocation adds ({@code requestPayload} and {@code responsePayload} for
 * an asynchronous one, the batch's description for a stream mapping).
 */
public final class InvocationRecord {
  private InvocationRecord() {}

  /**
   * The parts every record has. {@code functionError} ({@code Unhandled}) is set when the last
   * attempt failed in the function rather than before it.
   */
  public static ObjectNode of(String functionArn, String condition, int attempts, boolean functionError) {
    ObjectNode json = EventJson.mapper().createObjectNode();
    ObjectNode request = json.putObject("requestContext");
    request.put("requestId", UUID.randomUUID().toString());
    request.put("functionArn", functionArn);
    request.put("condition", condition);
    request.put("approximateInvokeCount", attempts);
    ObjectNode response = json.putObject("responseContext");
    response.put("statusCode", 200);
    response.put("executedVersion", "$LATEST");
    if (functionError) {
      response.put("functionError", "Unhandled");
    }
    json.put("version", "1.0");
    json.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    return json;
  }

  /**
   * The record of an asynchronous invocation whose every attempt failed ({@code RetriesExhausted}):
   * the event it was invoked with, and the error of its last attempt as the Java runtime answers it
   * ({@code errorMessage}, {@code errorType}, {@code stackTrace}; only the message for a timeout).
   */
  public static String retriesExhausted(String functionArn, JsonNode requestPayload, int attempts, Exception lastError) {
    ObjectNode json = of(functionArn, "RetriesExhausted", attempts, true);
    json.set("requestPayload", requestPayload);
    putError(json, lastError);
    return EventJson.write(json);
  }

  /**
   * The record of an asynchronous event that grew older than the maximum event age in Lambda's queue
   * ({@code EventAgeExceeded}), throttled or waiting for a retry: the event, and the error of its last
   * attempt when one was made.
   *
   * @param lastError null when no attempt was made
   */
  public static String eventAgeExceeded(String functionArn, JsonNode requestPayload, int attempts, Exception lastError) {
    ObjectNode json = of(functionArn, "EventAgeExceeded", attempts, lastError != null);
    json.set("requestPayload", requestPayload);
    if (lastError != null) {
      putError(json, lastError);
    }
    return EventJson.write(json);
  }

  private static void putError(ObjectNode json, Exception lastError) {
    ObjectNode error = json.putObject("responsePayload");
    error.put("errorMessage", String.valueOf(lastError.getMessage()));
    if (!(lastError instanceof FunctionTimeoutException)) {
      error.put("errorType", lastError.getClass().getName());
      ArrayNode trace = error.putArray("stackTrace");
      for (StackTraceElement frame : lastError.getStackTrace()) {
        trace.add(frame.toString());
      }
    }
  }
}
