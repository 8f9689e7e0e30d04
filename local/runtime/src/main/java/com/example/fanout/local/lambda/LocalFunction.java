package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.ServiceManifest.FunctionSpec;
import com.example.fanout.runtime.FunctionEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handler hosted in-process: constructed once (the cold start) inside its own
 * {@link FunctionEnvironment}, invoked with a Lambda context and the manifest's timeout.
 */
public final class LocalFunction implements AutoCloseable {
  private final String name;
  private final RequestHandler<Object, Object> handler;
  private final Type inputType;
  private final FunctionSpec spec;
  private final Map<String, String> environment;
  private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
  private volatile InvocationObserver observer = InvocationObserver.NONE;

  LocalFunction(String name, RequestHandler<Object, Object> handler, FunctionSpec spec, Map<String, String> environment) {
    this.name = name;
    this.handler = handler;
    this.inputType = inputTypeOf(handler.getClass());
    this.spec = spec;
    this.environment = Map.copyOf(environment);
  }

  public String name() {
    return name;
  }

  public FunctionSpec spec() {
    return spec;
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** Who is told of each invocation (the local CloudWatch's Lambda metrics). */
  public void observe(InvocationObserver value) {
    this.observer = value;
  }

  /** An invoke the caller saw throttled (the handler did not run). */
  public void reportThrottle() {
    observer.throttled(name);
  }

  /** An invocation that failed before the handler ran (an injected crash): an error, as Lambda counts it. */
  public void reportCrash() {
    observer.invoked(name, Duration.ZERO, true);
  }

  public Object invoke(Object event) throws Exception {
    return invoke(event, null, null);
  }

  /**
   * Invokes the handler with {@code event} (converted to the handler's input type when it declares
   * another one, e.g. a {@code Map}), failing with {@link FunctionTimeoutException} past the timeout.
   */
  public Object invoke(Object event, JsonNode jsonForm, String traceHeader) throws Exception {
    Object input = adapt(event, jsonForm);
    LocalContext context = new LocalContext(UUID.randomUUID().toString(), name, spec.memoryMb(), spec.timeoutSeconds(), traceHeader);
    long start = System.nanoTime();
    boolean error = true;
    Future<Object> result = invocations.submit(() -> FunctionEnvironment.with(environment, () -> handler.handleRequest(input, context)));
    try {
      Object value = result.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
      error = false;
      return value;
    } catch (TimeoutException e) {
      result.cancel(true);
      throw new FunctionTimeoutException(name, spec.timeoutSeconds());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } finally {
      observer.invoked(name, Duration.ofNanos(System.nanoTime() - start), error);
    }
  }

  private Object adapt(Object event, JsonNode jsonForm) {
    Class<?> raw = rawClass(inputType);
    if (raw.isInstance(event)) {
      return event;
    }
    JsonNode json = jsonForm != null ? jsonForm : EventJson.mapper().valueToTree(event);
    if (raw == String.class) {
      return EventJson.write(json);
    }
    return EventJson.mapper().convertValue(json, EventJson.mapper().constructType(inputType));
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  /** The {@code I} of {@code RequestHandler<I, O>} as the handler class declares it; Object if erased. */
  static Type inputTypeOf(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Type t : c.getGenericInterfaces()) {
        if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
          Type input = p.getActualTypeArguments()[0];
          return input instanceof Class<?> || input instanceof ParameterizedType ? input : Object.class;
        }
      }
    }
    return Object.class;
  }

  @Override
  public void close() {
    invocations.shutdownNow();
  }
}
