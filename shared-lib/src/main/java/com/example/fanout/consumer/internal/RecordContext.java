package com.example.fanout.consumer.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.example.fanout.consumer.HandlerContext;
import com.example.fanout.event.Envelope;
import com.example.fanout.manifest.ServiceManifest.Publication;
import com.example.fanout.schema.UnknownEventTypeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@link HandlerContext} of one record: collects the events the handler emits. */
final class RecordContext implements HandlerContext {
  private final ConsumerParts runtime;
  private final Envelope event;
  private final InvocationClock invocation;
  private final List<Envelope> emitted = new ArrayList<>();

  RecordContext(ConsumerParts runtime, Envelope event, InvocationClock invocation) {
    this.runtime = runtime;
    this.event = event;
    this.invocation = invocation;
  }

  @Override
  public Envelope event() {
    return event;
  }

  @Override
  public String consumer() {
    return runtime.qualifiedName();
  }

  @Override
  public Context lambdaContext() {
    return invocation.lambda();
  }

  @Override
  public Duration remainingTime() {
    return invocation.remaining();
  }

  @Override
  public Envelope emit(String type, Object data) {
    return emit(type, "", data);
  }

  @Override
  public Envelope emit(String type, String key, Object data) {
    Publication publication = runtime.catalog().publication(type)
        .orElseThrow(() -> new UnknownEventTypeException("no service publishes event type " + type));
    Envelope follow = Envelope.causedBy(event, type, publication.version(), runtime.source(), key, data,
        runtime.clock().instant());
    if (emitted.stream().anyMatch(e -> e.id().equals(follow.id()))) {
      throw new IllegalStateException(type + " emitted twice with key '" + key
          + "' for " + event.id() + ": give each a distinct key");
    }
    runtime.schemas().validate(follow);
    emitted.add(follow);
    return follow;
  }

  List<Envelope> emitted() {
    return List.copyOf(emitted);
  }
}
