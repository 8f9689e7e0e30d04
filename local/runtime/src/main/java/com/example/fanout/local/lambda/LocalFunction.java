package com.example.fanout.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.example.fanout.event.EventJson;
import com.example.fanout.local.xray.LambdaTracing;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler hosted in-process: constructed once (the cold start) inside its own
 * {@link FunctionEnvironment}, invoked with a Lambda context and the manifest's timeout.
 */
public final class LocalFunction implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFunction.class);
  /**
   * How long a trigger that stops waits for the invocations it handed over before it interrupts its
   * wait: inside the platform's own grace for each part it stops (5 s).
   */
  public static final Duration TRIGGER_STOP_GRACE = Duration.ofSeconds(4);
  private final String name;
  private final RequestHandler<Object, Object> handler;
  private final Type inputType;
  private final FunctionSpec spec;
  private final Map<String, String> environment;
  private final LambdaTracing tracing;
  private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore executions;
  private volatile FunctionFailures failures;
  private volatile InvocationObserver observer = InvocationObserver.NONE;

  LocalFunction(String name, RequestHandler<Object, Object> handler, FunctionSpec spec, Map<String, String> environment,
      LambdaTracing tracing) {
    this.name = name;
    this.tracing = tracing;
    this.handler = handler;
    this.inputType = inputTypeOf(handler.getClass());
    this.spec = spec;
    this.environment = Map.copyOf(environment);
    this.executions = new Semaphore(spec.reservedConcurrency());
  }

  public String name() {
    return name;
  }

  public FunctionSpec spec() {
    return spec;
  }

  /**
   * The function's reserved concurrency, as executions an invoking trigger takes before the handler
   * runs and gives back after: an invoke that finds none free is throttled.
   */
  public Semaphore executions() {
    return executions;
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** Where this function's timeouts, crashes and errors are counted (the live view's source). */
  public void reportFailuresTo(FunctionFailures value) {
    this.failures = value;
  }

  /** Records a failure that happened around the handler, e.g. a crash injected by the event-source mapping. */
  public void recordFailure(FunctionFailures.Kind kind, String message) {
    FunctionFailures sink = failures;
    if (sink != null) {
      sink.record(name, kind, message);
    }
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
   * Lambda's X-Ray segments continue {@code traceHeader} (the trigger's, e.g. the SQS
   * {@code AWSTraceHeader}), or start a new trace when it is null.
   */
  public Object invoke(Object event, JsonNode jsonForm, String traceHeader) throws Exception {
    Object input = adapt(event, jsonForm);
    LambdaTracing.Invocation trace = tracing.begin(name, traceHeader);
    LocalContext context = new LocalContext(UUID.randomUUID().toString(), name, spec.memoryMb(), spec.timeoutSeconds(), trace.header());
    long start = System.nanoTime();
    boolean error = true;
    Future<Object> result = invocations.submit(() -> trace.run(
        () -> FunctionEnvironment.with(environment, () -> handler.handleRequest(input, context))));
    try {
      Object value = result.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
      error = false;
      return value;
    } catch (TimeoutException e) {
      // Not interrupted: an interrupt during channel I/O closes the channel, and a handler reading a
      // schema from the class path would close the jar file system every function in this JVM shares.
      // Lambda never interrupts a handler either; the late run's effects are what retries must absorb.
      result.cancel(false);
      trace.failed("Task timed out after " + spec.timeoutSeconds() + " seconds");
      FunctionTimeoutException timeout = new FunctionTimeoutException(name, spec.timeoutSeconds());
      recordFailure(FunctionFailures.Kind.TIMEOUT, timeout.getMessage());
      throw timeout;
    } catch (ExecutionException e) {
      trace.failed(e.getCause().toString());
      if (e.getCause() instanceof Exception cause) {
        recordFailure(FunctionFailures.Kind.ERROR, cause.toString());
        throw cause;
      }
      recordFailure(FunctionFailures.Kind.CRASH, String.valueOf(e.getCause()));
      throw e;
    } finally {
      trace.end();
      observer.invoked(name, Duration.ofNanos(System.nanoTime() - start), error);
    }
  }

  /**
   * Invokes with an event given as JSON, as Lambda's {@code Invoke} does: read into the handler's
   * input type the way the Lambda Java runtime reads it (the events classes through
   * aws-lambda-java-serialization, anything else through Jackson), and the result written back as JSON.
   */
  public String invokeJson(String payload, String traceHeader) throws Exception {
    Class<?> raw = rawClass(inputType);
    Object event = isLambdaEvent(raw)
        ? LambdaEventSerializers.serializerFor(raw, raw.getClassLoader()).fromJson(payload)
        : raw == String.class ? payload : EventJson.mapper().readValue(payload, EventJson.mapper().constructType(inputType));
    Object result = invoke(event, null, traceHeader);
    if (result != null && isLambdaEvent(result.getClass())) {
      @SuppressWarnings("unchecked")
      PojoSerializer<Object> serializer = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(result.getClass(),
          result.getClass().getClassLoader());
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      serializer.toJson(result, out);
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
    return result instanceof String s ? EventJson.write(s) : EventJson.write(result);
  }

  private static boolean isLambdaEvent(Class<?> type) {
    return type.getName().startsWith("com.amazonaws.services.lambda.runtime.events.");
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
    // Not shutdownNow(): interrupting a handler mid-read of a schema would close the jar file system
    // every function in this JVM shares (see invoke), and a platform started again in this JVM (a
    // restart on the same data) would find it closed. Running invocations get a moment to end.
    invocations.shutdown();
    try {
      if (!invocations.awaitTermination(1, TimeUnit.SECONDS)) {
        LOG.info("{}: invocations still running as the function stops; they end on their own, and their triggers deliver"
            + " what they did not finish again", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
