package com.example.fanout.consumer;

import com.example.fanout.event.Envelope;

/**
 * Handles one event type for a consumer. Throw to have the message retried (transient), or throw
 * {@link PoisonMessageException} when no retry can ever succeed.
 *
 * @param <T> the type the event's {@code data} is bound to
 */
@FunctionalInterface
public interface EventHandler<T> {
  void handle(Envelope event, T data, HandlerContext context) throws Exception;
}
