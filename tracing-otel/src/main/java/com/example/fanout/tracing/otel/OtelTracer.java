package com.example.fanout.tracing.otel;

import com.example.fanout.publish.TraceHeaderSource;
import com.example.fanout.runtime.LoopbackEndpoint;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.TraceHeader;
import com.example.fanout.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link Tracer} on the OpenTelemetry SDK. Each record's span continues the trace
 * of its X-Ray header ({@link XRayPropagator}), under the Lambda function segment when the
 * invocation continues the same trace (as {@code XRayTracer} does), else under the span that
 * delivered it; the header passed downstream is X-Ray's, so a trace stays whole across
 * EventBridge, SNS and SQS whichever tracer each function runs. Annotations become attributes;
 * spans are exported when each record's span ends (Lambda may freeze the process right after).
 */
public final class OtelTracer implements Tracer {
  static final String PRODUCER_TRACE = "producer_trace_root";
  static final String INSTRUMENTATION = "com.example.fanout";
  private static final Logger LOG = LoggerFactory.getLogger(OtelTracer.class);

  private final SdkTracerProvider provider;
  private final io.opentelemetry.api.trace.Tracer tracer;
  private final boolean inLambda;
  /**
   * Set in the context of priming's spans: the function's own clients, whose calls a priming
   * invocation makes under them, leave those calls untraced rather than export them ({@link AwsSdkSpans}).
   */
  static final ContextKey<Boolean> PRIMING = ContextKey.named("fanout.priming");

  private final TraceHeaderSource invocation;
  private final boolean priming;

  public OtelTracer(SdkTracerProvider provider, boolean inLambda, TraceHeaderSource invocation) {
    this(provider, inLambda, invocation, false);
  }

  private OtelTracer(SdkTracerProvider provider, boolean inLambda, TraceHeaderSource invocation, boolean priming) {
    this.provider = provider;
    this.tracer = provider.get(INSTRUMENTATION);
    this.inLambda = inLambda;
    this.invocation = invocation;
    this.priming = priming;
  }

  @Override
  public Span startSegment(String name, String parentTraceHeader) {
    Optional<TraceHeader> producer = TraceHeader.parse(parentTraceHeader);
    Optional<SpanContext> parent = producer.flatMap(p -> XRayPropagator.spanContext(parentOf(p)));
    var builder = tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER)
        .setParent(parent.map(sc -> Context.root().with(io.opentelemetry.api.trace.Span.wrap(sc))).orElse(Context.root()));
    producer.ifPresent(p -> builder.setAttribute(PRODUCER_TRACE, p.root()));
    return open(builder.startSpan(), true);
  }

  /** Lambda's function segment when the invocation continues the producer's trace; else the producer's span. */
  private String parentOf(TraceHeader producer) {
    if (inLambda) {
      Optional<TraceHeader> lambda = invocation.current().flatMap(TraceHeader::parse);
      if (lambda.isPresent() && lambda.get().root().equals(producer.root()) && lambda.get().parent() != null) {
        return lambda.get().toString();
      }
    }
    return producer.toString();
  }

  @Override
  public Span subsegment(String name) {
    io.opentelemetry.api.trace.Span parent = io.opentelemetry.api.trace.Span.current();
    if (!parent.getSpanContext().isValid()) {
      return startSegment(name, null);
    }
    return open(tracer.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).startSpan(), false);
  }

  /** Adds a client span per AWS SDK call ({@link AwsSdkSpans}), the way the X-Ray SDK adds a subsegment. */
  @Override
  public software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder instrument(
      software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder config) {
    return config.addExecutionInterceptor(new AwsSdkSpans(tracer, priming));
  }

  /**
   * Priming's tracer exports to a loopback endpoint in this JVM through a provider of its own (the
   * function's exporter, batch processor and JDK HTTP sender), and both are shut before returning,
   * so the snapshot holds neither their threads nor a connection.
   */
  @Override
  public <T> T primeWith(Function<Tracer, T> priming) {
    return primeWith(priming, body -> { });
  }

  /** {@link #primeWith(Function)}, handing the body of each export request to {@code exports}. */
  <T> T primeWith(Function<Tracer, T> priming, Consumer<String> exports) {
    LoopbackEndpoint collector;
    try {
      collector = new LoopbackEndpoint(request -> exports.accept(request.body()));
    } catch (IOException e) {
      LOG.warn("trace priming could not open its loopback endpoint, priming untraced: {}", e.toString());
      return priming.apply(Tracer.none());
    }
    SdkTracerProvider primingProvider = OtelBackend.newProvider(collector.endpoint() + "/v1/traces", "prime");
    try {
      return priming.apply(new OtelTracer(primingProvider, false, Optional::empty, true));
    } finally {
      primingProvider.shutdown().join(5, TimeUnit.SECONDS);
      try {
        collector.close();
      } catch (IOException e) {
        LOG.warn("trace priming could not close its loopback endpoint: {}", e.toString());
      }
    }
  }

  @Override
  public Optional<String> currentTraceHeader() {
    return XRayPropagator.header(io.opentelemetry.api.trace.Span.current().getSpanContext());
  }

  private Span open(io.opentelemetry.api.trace.Span span, boolean unitOfWork) {
    Context context = Context.current().with(span);
    return new OtelSpan(span, (priming ? context.with(PRIMING, true) : context).makeCurrent(), unitOfWork);
  }

  private final class OtelSpan implements Span {
    private final io.opentelemetry.api.trace.Span span;
    private final Scope scope;
    private final boolean unitOfWork;
    private boolean closed;

    OtelSpan(io.opentelemetry.api.trace.Span span, Scope scope, boolean unitOfWork) {
      this.span = span;
      this.scope = scope;
      this.unitOfWork = unitOfWork;
    }

    @Override
    public String traceId() {
      String id = span.getSpanContext().getTraceId();
      return "1-" + id.substring(0, 8) + "-" + id.substring(8);
    }

    @Override
    public String spanId() {
      return span.getSpanContext().getSpanId();
    }

    @Override
    public Span annotate(String key, String value) {
      if (value != null) {
        span.setAttribute(AttributeKey.stringKey(key), value);
      }
      return this;
    }

    @Override
    public Span outcome(String outcome) {
      span.setAttribute("outcome", outcome);
      if ("failed".equals(outcome) || "poison".equals(outcome)) {
        span.setStatus(StatusCode.ERROR, outcome);
      }
      return this;
    }

    @Override
    public Span error(Throwable error) {
      span.recordException(error);
      return this;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      span.end();
      scope.close();
      if (unitOfWork) {
        provider.forceFlush().join(5, TimeUnit.SECONDS);
      }
    }
  }
}
