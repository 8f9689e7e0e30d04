package com.example.fanout.consumer.internal;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;

/**
 * The invocation's Lambda context and how long it has left: the one answer both the handler
 * ({@code remainingTime()}) and the idempotency claim use. A caller outside Lambda that passes no
 * context gets Lambda's longest timeout from the start of the batch.
 */
record InvocationClock(Context lambda, long deadlineNanos) {
  static final Duration WITHOUT_CONTEXT = Duration.ofMinutes(15);

  static InvocationClock of(Context lambda) {
    return new InvocationClock(lambda, System.nanoTime() + WITHOUT_CONTEXT.toNanos());
  }

  Duration remaining() {
    return lambda != null
        ? Duration.ofMillis(lambda.getRemainingTimeInMillis())
        : Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }
}
