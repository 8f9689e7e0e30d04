package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.example.fanout.local.xray.LambdaTracing;
import com.example.fanout.local.xray.ServiceSegments;
import com.example.fanout.local.xray.TraceStore;
import com.example.fanout.manifest.ServiceManifest.FunctionSpec;
import java.net.URI;
import java.util.Map;

/** Local functions for tests: 128 MB, a 1-second timeout unless given, tracing into a store nobody reads. */
public final class TestFunctions {
  private TestFunctions() {}

  public static LocalFunction local(String name, RequestHandler<?, ?> handler) {
    return local(name, handler, 1);
  }

  @SuppressWarnings("unchecked")
  public static LocalFunction local(String name, RequestHandler<?, ?> handler, int timeoutSeconds) {
    return new LocalFunction(name, (RequestHandler<Object, Object>) handler, new FunctionSpec(128, timeoutSeconds, 1, Map.of()), Map.of(),
        new LambdaTracing(new ServiceSegments(new TraceStore()), "127.0.0.1:2000", URI.create("http://127.0.0.1:9")));
  }
}
