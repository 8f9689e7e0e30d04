package com.example.fanout.logging;

import com.amazonaws.services.lambda.runtime.Context;
import com.example.fanout.event.Envelope;
import com.example.fanout.runtime.FunctionEnvironment;
import java.util.function.Supplier;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Structured logging of a consumer through Powertools logging (Log4j 2, Powertools' JSON layout).
 * Every line of an invocation carries Powertools' Lambda fields ({@code cold_start},
 * {@code function_request_id}, {@code service}, ...); every line written while an event is handled
 * also carries {@code correlation_id}, {@code event_id}, {@code event_type} and {@code consumer}.
 */
public final class ConsumerLogging {
  public static final String CORRELATION_ID = "correlation_id";
  public static final String EVENT_ID = "event_id";
  public static final String EVENT_TYPE = "event_type";
  public static final String CONSUMER = "consumer";
  static final String SERVICE = "service";

  private ConsumerLogging() {}

  /**
   * Runs one invocation with Powertools' Lambda fields set, and debug sampling at
   * {@code POWERTOOLS_LOGGER_SAMPLE_RATE} (read per function, so the local runtime can differ per consumer).
   */
  public static <T> T withInvocation(Context context, String service, Supplier<T> body) {
    double sampleRate = FunctionEnvironment.get("POWERTOOLS_LOGGER_SAMPLE_RATE").map(Double::parseDouble).orElse(0.0);
    return PowertoolsLogging.withLogging(context, sampleRate, () -> {
      MDC.put(SERVICE, service);
      try {
        return body.get();
      } finally {
        MDC.remove(SERVICE);
      }
    });
  }

  /** Adds the event's fields to every line written by {@code body}. */
  public static <T> T withEvent(String consumer, Envelope event, Supplier<T> body) {
    MDC.put(CORRELATION_ID, event.correlationId());
    MDC.put(EVENT_ID, event.id());
    MDC.put(EVENT_TYPE, event.type());
    MDC.put(CONSUMER, consumer);
    try {
      return body.get();
    } finally {
      MDC.remove(CORRELATION_ID);
      MDC.remove(EVENT_ID);
      MDC.remove(EVENT_TYPE);
      MDC.remove(CONSUMER);
    }
  }
}
