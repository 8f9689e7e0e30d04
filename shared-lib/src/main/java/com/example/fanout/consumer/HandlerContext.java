package com.example.fanout.consumer;

import com.amazonaws.services.lambda.runtime.Context;
import com.example.fanout.event.Envelope;
import java.time.Duration;

/** What a handler sees of the runtime while it handles one event. */
public interface HandlerContext {
  /** The event being handled. */
  Envelope event();

  /** {@code <service>.<consumer>}, e.g. {@code inventory.reserve-stock}. */
  String consumer();

  /** The Lambda context of the invocation; null only when a caller outside Lambda passed none. */
  Context lambdaContext();

  /** Time left before the function times out. */
  Duration remainingTime();

  /**
   * Emits a follow-up event caused by {@link #event()}: the id is derived from the cause and type,
   * so a retry emits the same id. The event is validated at once and published after the handler
   * returns and its outcome is recorded.
   *
   * @throws IllegalStateException if the same type is emitted twice without a key
   */
  Envelope emit(String type, Object data);

  /**
   * {@link #emit(String, Object)} for several events of one type, told apart by {@code key}
   * (e.g. the line or item they are about).
   */
  Envelope emit(String type, String key, Object data);
}
