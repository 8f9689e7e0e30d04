package com.example.fanout.runtime;

import com.example.fanout.tracing.Tracer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a handler's priming invocations asked of AWS: every request priming's loopback answered, as the SDK sent it. */
public final class PrimingRequests {
  private PrimingRequests() {}

  /** Runs {@code invocations} as {@link SdkPriming#run} does, with no dry calls, and returns their requests in order. */
  public static List<LoopbackEndpoint.Request> of(SdkPriming.Invocations invocations) {
    List<LoopbackEndpoint.Request> requests = new CopyOnWriteArrayList<>();
    SdkPriming.prime(0, Tracer.none(), Set.of(), invocations, SdkPriming.REQUESTS_PER_CONNECTION, requests::add);
    return List.copyOf(requests);
  }
}
