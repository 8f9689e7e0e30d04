package com.example.fanout.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.example.fanout.event.Envelope;
import com.example.fanout.event.EventJson;
import com.example.fanout.logging.ConsumerLogging;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.metrics.FunctionMetrics;
import com.example.fanout.publish.EventPublisher;
import com.example.fanout.schema.EventSchemas;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every entry point that is not an SQS consumer (HTTP API, DynamoDB stream, schedule, S3
 * notification) shares with the consumer runtime: configuration read once when the handler is built
 * ({@code FANOUT_SERVICE}, {@code FANOUT_FUNCTION}, {@code POWERTOOLS_LOGGER_SAMPLE_RATE},
 * {@code FANOUT_TRACER}), the same structured logging (Powertools' Lambda fields, {@code service},
 * {@code function}, {@code correlation_id} on every line, debug sampling), one span per invocation
 * and one EMF document per invocation ({@link FunctionMetrics}: items processed and failed, handler
 * latency, dimension {@code function}). Each trigger keeps its own entry point and input type; it only
 * wraps its body in {@link #invoke}.
 */
public final class FunctionRuntime implements Resource {
  public static final String FUNCTION = "function";
  /** Dry SDK rounds before a snapshot: enough for C1 to compile the request path (Lambda runs tier 1 only). */
  public static final int PRIMING_ROUNDS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);

  private final String service;
  private final String function;
  private final double sampleRate;
  private final Tracer tracer;
  private final AwsClients clients;
  private final FunctionMetrics metrics;
  private volatile SdkPriming.Invocations primingInvocations;
  private static final java.util.Map<String, EventSchemas> SCHEMAS = new java.util.concurrent.ConcurrentHashMap<>();

  /** Metrics in the platform's namespace, {@link com.example.fanout.contract.MetricNames#NAMESPACE}. */
  public FunctionRuntime(String service, String function, double sampleRate, Tracer tracer) {
    this(service, function, sampleRate, tracer, com.example.fanout.contract.MetricNames.NAMESPACE);
  }

  public FunctionRuntime(String service, String function, double sampleRate, Tracer tracer, String metricsNamespace) {
    this.service = Objects.requireNonNull(service, "service");
    this.function = Objects.requireNonNull(function, "function");
    this.sampleRate = sampleRate;
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.metrics = new FunctionMetrics(Objects.requireNonNull(metricsNamespace, "metricsNamespace"), qualifiedName());
    this.clients = new AwsClients(tracer);
    if ("snap-start".equals(FunctionEnvironment.get("AWS_LAMBDA_INITIALIZATION_TYPE").orElse(null))) {
      // CRaC keeps resources weakly: the handler holds this runtime for the container's life.
      Core.getGlobalContext().register(this);
    }
  }

  /**
   * SnapStart priming, before the snapshot (twice, by {@link JitSettling#prime}): compiles the
   * schemas of the events this function's service publishes, warms the envelope JSON path, the
   * SDK's request path of every call the function's role grants ({@link SdkPriming}) and the log
   * line and metrics document ({@link TelemetryPriming}), with no call to AWS and no output;
   * then the handler's own {@linkplain #primeInvocations priming invocations}, if it has any.
   */
  public void prime() {
    java.util.Set<String> actions = schemas().catalog().awsActionsOf(service, function);
    SdkPriming.Invocations invocations = primingInvocations;
    tracer.primeWith(priming -> SdkPriming.run(PRIMING_ROUNDS, priming, actions, invocations));
    TelemetryPriming.run(PRIMING_ROUNDS);
    ObjectNode empty = EventJson.mapper().createObjectNode();
    schemas().catalog().service(service).ifPresent(m ->
        m.publishes().forEach(p -> schemas().violations(p.type(), p.version(), empty)));
    Envelope sample = new Envelope("evt_prime", "Primed", 1, "com.example.prime", Instant.EPOCH, "prime", null, empty);
    for (int i = 0; i < 1_000; i++) {
      EventJson.readEnvelope(EventJson.writeEnvelope(sample));
    }
  }

  /**
   * Has {@link #prime} also run {@code invocations}: the handler's own entry point on sample input
   * (Lambda's "invoke priming", ADR 0120), traced by priming's tracer, with every call of this
   * function's AWS clients sent to priming's loopback and every line written dropped
   * ({@link SdkPriming#run(int, Tracer, java.util.Set, SdkPriming.Invocations)}). Only for a handler
   * whose every call goes through {@link #clients()}: anything else it calls would be called for real.
   */
  public void primeInvocations(SdkPriming.Invocations invocations) {
    this.primingInvocations = Objects.requireNonNull(invocations, "invocations");
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    JitSettling.prime(this::prime);
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // Nothing to refresh: clients re-resolve credentials and connections lazily.
  }

  /** The function's SDK clients, traced like its invocations. */
  public AwsClients clients() {
    return clients;
  }

  /**
   * The schemas of what this function's service publishes and consumes (its catalog slice,
   * {@link Catalog#forService}), compiled lazily and shared by the functions of the service in this JVM.
   */
  public EventSchemas schemas() {
    return SCHEMAS.computeIfAbsent(service, s -> new EventSchemas(Catalog.forService(s)));
  }

  /** A publisher to the bus {@code EVENT_BUS_NAME} names, with this function's trace on every entry. */
  public EventPublisher publisher() {
    return EventPublisher.builder()
        .client(clients.eventBridge())
        .eventBusName(FunctionEnvironment.require("EVENT_BUS_NAME"))
        .schemas(schemas())
        .traceHeaders(tracer::currentTraceHeader)
        .build();
  }

  /**
   * From the function's environment. A handler built by a test without one (its test constructor)
   * logs {@code service} and {@code function} as {@code unknown}.
   */
  public static FunctionRuntime fromEnvironment() {
    return new FunctionRuntime(
        FunctionEnvironment.get("FANOUT_SERVICE").orElse("unknown"),
        FunctionEnvironment.get("FANOUT_FUNCTION").orElse("unknown"),
        FunctionVariable.POWERTOOLS_LOGGER_SAMPLE_RATE.readDecimal(),
        Tracer.fromEnvironment(),
        FunctionVariable.POWERTOOLS_METRICS_NAMESPACE.read().orElseThrow());
  }

  /** {@code <service>.<function>}. */
  public String qualifiedName() {
    return service + "." + function;
  }

  /**
   * Runs one invocation that handles one item (a scheduled run): counted processed when the body
   * returns, failed when it throws. See {@link #invoke(Context, String, String, Supplier, Function)}.
   */
  public <T> T invoke(Context context, String trigger, String correlationId, Supplier<T> body) {
    return invoke(context, trigger, correlationId, body, result -> InvocationOutcome.ok());
  }

  /**
   * Runs one invocation: every line {@code body} logs carries the Lambda fields, {@code service},
   * {@code function} and {@code correlation_id}; the invocation itself is logged first (trigger and
   * correlation id), so even a body that fails at once leaves a trace of what it was handling. Its
   * metrics are written when it ends: {@code outcome} counts what the returned result says was
   * processed and failed (a 5xx answer, a stream record reported failed); a body that throws counts
   * one failure.
   *
   * @param trigger       what invoked the function ({@code http}, {@code stream}, {@code schedule}, {@code s3})
   * @param correlationId the id of what this invocation handles (request id, event id, object key)
   */
  public <T> T invoke(Context context, String trigger, String correlationId, Supplier<T> body,
      Function<? super T, InvocationOutcome> outcome) {
    return ConsumerLogging.withInvocation(context, service, sampleRate, () -> {
      MDC.put(FUNCTION, function);
      MDC.put(ConsumerLogging.CORRELATION_ID, correlationId == null ? "" : correlationId);
      long start = System.nanoTime();
      InvocationOutcome counted = InvocationOutcome.failure();
      Tracer current = PrimingTracer.orElse(tracer);
      try (Span span = current.startSegment(qualifiedName() + " " + trigger, null)) {
        span.annotate(Span.CORRELATION_ID, correlationId == null ? "" : correlationId);
        LOG.info("{} invocation of {}", trigger, qualifiedName());
        try {
          T result = body.get();
          counted = outcome.apply(result);
          span.outcome(counted.failed() == 0 ? "ok" : "failed");
          return result;
        } catch (RuntimeException | Error e) {
          span.outcome("failed").error(e);
          LOG.error("{} invocation of {} failed: {}", trigger, qualifiedName(), e.toString(), e);
          throw e;
        }
      } finally {
        writeMetrics(trigger, counted, Duration.ofNanos(System.nanoTime() - start));
        MDC.remove(FUNCTION);
        MDC.remove(ConsumerLogging.CORRELATION_ID);
      }
    });
  }

  private void writeMetrics(String trigger, InvocationOutcome outcome, Duration latency) {
    try {
      metrics.invocation(trigger, outcome.processed(), outcome.failed(), latency);
    } catch (RuntimeException e) {
      // Metrics never change what the invocation answers.
      LOG.error("could not write the invocation's metrics: {}", e.toString());
    }
  }
}
