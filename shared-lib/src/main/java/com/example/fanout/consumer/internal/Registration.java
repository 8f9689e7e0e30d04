package com.example.fanout.consumer.internal;

import com.example.fanout.consumer.EventHandler;
import com.example.fanout.consumer.HandlerContext;
import com.example.fanout.consumer.PoisonMessageException;
import com.example.fanout.event.Envelope;
import com.example.fanout.runtime.InternalApi;

/** A handler registered for one event type, with the type its data binds to. */
@InternalApi
public record Registration<T>(String eventType, Class<T> dataType, EventHandler<T> handler) {
  void invoke(Envelope event, HandlerContext context) throws Exception {
    T data;
    try {
      data = event.dataAs(dataType);
    } catch (IllegalArgumentException e) {
      // The schema accepted the data, the handler's type does not: no retry changes that.
      throw new PoisonMessageException(e.getMessage(), e);
    }
    handler.handle(event, data, context);
  }
}
