package com.example.orders.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.example.fanout.logging.ConsumerLogging;
import java.util.function.Supplier;

/**
 * Powertools' Lambda fields ({@code function_request_id}, {@code cold_start}, {@code service}, ...) on
 * every log line of an invocation of the non-SQS handlers, as the consumer runtime does for consumers.
 */
final class InvocationLogging {
  static final String SERVICE = "orders";

  private InvocationLogging() {}

  static <T> T around(Context context, double sampleRate, Supplier<T> body) {
    return context == null ? body.get() : ConsumerLogging.withInvocation(context, SERVICE, sampleRate, body);
  }
}
