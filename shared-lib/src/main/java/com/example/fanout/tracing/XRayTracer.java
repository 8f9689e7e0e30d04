package com.example.fanout.tracing;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.contexts.ThreadLocalSegmentContextResolver;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceID;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fanout.runtime.LambdaTraceHeaders;
import com.example.fanout.runtime.ThreadScoped;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.utils.Lazy;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * X-Ray SDK backend. In Lambda the invocation's segment belongs to Lambda, so each record gets a
 * subsegment of it (of its producer's trace when the batch's trace is another's), annotated with the
 * producer's trace root; the header passed downstream keeps the producer's root, so every event of
 * one order travels in one trace. Outside Lambda (a daemon on
 * localhost) each record starts a segment inside the producer's trace.
 */
public final class XRayTracer implements Tracer {
  static final String PRODUCER_TRACE = "producer_trace_root";
  /**
   * The interceptor of every client traced through X-Ray's global recorder, shared: building one
   * parses X-Ray's operation whitelist with Jackson, a few milliseconds of init per client.
   */
  private static final Lazy<ExecutionInterceptor> GLOBAL_RECORDER_INTERCEPTOR = new Lazy<>(PrimingAwareInterceptor::new);

  private final AWSXRayRecorder recorder;
  private final boolean inLambda;
  private final Lazy<? extends ExecutionInterceptor> interceptor;
  private final ThreadLocal<String> producerRoot = new ThreadLocal<>();

  public XRayTracer() {
    this(AWSXRay.getGlobalRecorder(), FunctionEnvironment.inFunction());
  }

  public XRayTracer(AWSXRayRecorder recorder, boolean inLambda) {
    this(recorder, inLambda, GLOBAL_RECORDER_INTERCEPTOR);
  }

  /** @param interceptor what records the calls of clients built with this tracer */
  private XRayTracer(AWSXRayRecorder recorder, boolean inLambda, Lazy<? extends ExecutionInterceptor> interceptor) {
    this.recorder = recorder;
    this.inLambda = inLambda;
    this.interceptor = interceptor;
  }

  /**
   * Tests: a function's tracer whose clients get an interceptor of their own on X-Ray's global
   * recorder. The shared one keeps the first global recorder it read, which in a test JVM is another
   * test's.
   */
  static XRayTracer withOwnGlobalRecorderInterceptor(AWSXRayRecorder recorder, boolean inLambda) {
    return new XRayTracer(recorder, inLambda, new Lazy<>(PrimingAwareInterceptor::new));
  }

  @Override
  public Span startSegment(String name, String parentTraceHeader) {
    Optional<TraceHeader> parent = TraceHeader.parse(parentTraceHeader);
    producerRoot.set(parent.map(TraceHeader::root).orElse(null));
    if (inLambda) {
      Runnable backToInvocation = recordInProducerTrace(parent);
      XRaySpan span = new XRaySpan(recorder.beginSubsegment(name), false, true, backToInvocation);
      parent.ifPresent(p -> span.annotate(PRODUCER_TRACE, p.root()));
      return span;
    }
    Segment segment = parent.isPresent()
        ? recorder.beginSegment(name, TraceID.fromString(parent.get().root()), parent.get().parent())
        : recorder.beginSegment(name);
    return new XRaySpan(segment, true, true, null);
  }

  /**
   * Lambda gives a batch one trace, the first record's. A record of another trace is recorded in its
   * producer's trace instead, under the span that delivered it, so every order stays one trace: the
   * SDK reads the header from the invocation thread's {@code AWS_LAMBDA_X_TRACE_ID} entry first and
   * starts a new facade segment when its root changes. Returns what puts the invocation's header back.
   */
  private static Runnable recordInProducerTrace(Optional<TraceHeader> producer) {
    if (producer.isEmpty() || producer.get().parent() == null) {
      return null;
    }
    com.amazonaws.xray.entities.TraceHeader invocation = LambdaSegmentContext.getTraceHeaderFromEnvironment();
    if (invocation.getRootTraceId() == null || invocation.getRootTraceId().toString().equals(producer.get().root())) {
      return null;
    }
    String previous = SdkInternalThreadLocal.get(LambdaTraceHeaders.THREAD_KEY);
    boolean sampled = producer.get().sampled() != null ? producer.get().sampled()
        : invocation.getSampled() == com.amazonaws.xray.entities.TraceHeader.SampleDecision.SAMPLED;
    SdkInternalThreadLocal.put(LambdaTraceHeaders.THREAD_KEY,
        new TraceHeader(producer.get().root(), producer.get().parent(), sampled).toString());
    return previous == null
        ? () -> SdkInternalThreadLocal.remove(LambdaTraceHeaders.THREAD_KEY)
        : () -> SdkInternalThreadLocal.put(LambdaTraceHeaders.THREAD_KEY, previous);
  }

  @Override
  public Span subsegment(String name) {
    if (recorder.getTraceEntity() == null && !inLambda) {
      return startSegment(name, null);
    }
    return new XRaySpan(recorder.beginSubsegment(name), false, false, null);
  }

  @Override
  public Optional<String> currentTraceHeader() {
    Entity entity = recorder.getTraceEntity();
    if (entity == null) {
      return Optional.empty();
    }
    Segment segment = entity.getParentSegment();
    String root = Optional.ofNullable(producerRoot.get()).orElse(segment.getTraceId().toString());
    return Optional.of(new TraceHeader(root, entity.getId(), segment.isSampled()).toString());
  }

  /** Adds X-Ray's interceptor, so every call of a client built with it is a subsegment. */
  @Override
  public ClientOverrideConfiguration.Builder instrument(ClientOverrideConfiguration.Builder config) {
    return config.addExecutionInterceptor(interceptor.getValue());
  }

  /**
   * A recorder of its own that samples everything, keeps its context on the thread and encodes each
   * document as the daemon emitter would before sending it: the SDK interceptor's subsegments, the
   * entities' JSON and the recorder's paths are warmed, and nothing is sent (the recorder opens the
   * UDP socket every recorder opens, and never writes to it). While {@code priming} runs on this
   * thread, the calls of the function's own clients (a priming invocation's) are recorded by that
   * recorder too, under priming's spans, and dropped with them ({@link PrimingAwareInterceptor}).
   */
  @Override
  public <T> T primeWith(Function<Tracer, T> priming) {
    return primeWith(priming, document -> { });
  }

  /** {@link #primeWith(Function)}, handing each encoded document to {@code documents}. */
  <T> T primeWith(Function<Tracer, T> priming, Consumer<String> documents) {
    XRayTracer tracer = forPriming(documents);
    return PrimingAwareInterceptor.during(tracer.interceptor.getValue(), () -> priming.apply(tracer));
  }

  /** The tracer {@link #primeWith} passes, handing each encoded document to {@code documents}. */
  XRayTracer forPriming(Consumer<String> documents) {
    SegmentContextResolverChain threadOnly = new SegmentContextResolverChain();
    threadOnly.addResolver(new ThreadLocalSegmentContextResolver());
    AWSXRayRecorder encoding = AWSXRayRecorderBuilder.standard()
        .withSamplingStrategy(new AllSamplingStrategy())
        .withSegmentContextResolverChain(threadOnly)
        .withEmitter(new EncodingEmitter(documents))
        // A call outside any record's span (a batch's PutEvents) is left untraced, as in a function.
        .withContextMissingStrategy(new IgnoreErrorContextMissingStrategy())
        .build();
    return new XRayTracer(encoding, false, new Lazy<>(() -> new TracingInterceptor(encoding, null, null)));
  }

  /**
   * X-Ray's interceptor on the global recorder, which every function's client is built with, except
   * on a thread that runs a priming invocation: there priming's own interceptor records the call. The
   * X-Ray SDK's interceptor keeps the recorder it first used, so priming cannot lend it another one;
   * and in Lambda the global recorder streams each subsegment to the daemon as it ends.
   */
  private static final class PrimingAwareInterceptor implements ExecutionInterceptor {
    private static final ThreadLocal<ExecutionInterceptor> PRIMING = new ThreadLocal<>();
    private final TracingInterceptor global = new TracingInterceptor(null, null, null);

    static <T> T during(ExecutionInterceptor priming, java.util.function.Supplier<T> body) {
      return ThreadScoped.with(PRIMING, priming, body);
    }

    private ExecutionInterceptor current() {
      ExecutionInterceptor priming = PRIMING.get();
      return priming == null ? global : priming;
    }

    // The methods X-Ray's interceptor implements; the others keep ExecutionInterceptor's defaults, as it does.
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      current().beforeExecution(context, attributes);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      return current().modifyHttpRequest(context, attributes);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      current().beforeTransmission(context, attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      current().afterExecution(context, attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
      current().onExecutionFailure(context, attributes);
    }
  }

  /**
   * The daemon emitter short of the UDP send; a segment's subsegments are also encoded one by one,
   * as Lambda streams them.
   */
  private static final class EncodingEmitter extends Emitter {
    private final Consumer<String> documents;

    EncodingEmitter(Consumer<String> documents) {
      this.documents = documents;
    }

    @Override
    public boolean sendSegment(Segment segment) {
      documents.accept(segment.serialize());
      segment.getSubsegmentsCopy().forEach(this::sendSubsegment);
      return true;
    }

    @Override
    public boolean sendSubsegment(Subsegment subsegment) {
      documents.accept(subsegment.streamSerialize());
      return true;
    }
  }

  private final class XRaySpan implements Span {
    private final Entity entity;
    private final boolean segment;
    private final boolean unitOfWork;
    private final Runnable backToInvocation;
    private boolean closed;

    XRaySpan(Entity entity, boolean segment, boolean unitOfWork, Runnable backToInvocation) {
      this.entity = entity;
      this.segment = segment;
      this.unitOfWork = unitOfWork;
      this.backToInvocation = backToInvocation;
    }

    @Override
    public String traceId() {
      return entity.getParentSegment().getTraceId().toString();
    }

    @Override
    public String spanId() {
      return entity.getId();
    }

    @Override
    public Span annotate(String key, String value) {
      if (value != null) {
        entity.putAnnotation(key, value);
      }
      return this;
    }

    @Override
    public Span outcome(String outcome) {
      entity.putAnnotation("outcome", outcome);
      if ("failed".equals(outcome)) {
        entity.setFault(true);
      } else if ("poison".equals(outcome)) {
        entity.setError(true);
      }
      return this;
    }

    @Override
    public Span error(Throwable error) {
      entity.addException(error);
      return this;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (segment) {
        recorder.endSegment();
      } else {
        recorder.endSubsegment();
      }
      if (unitOfWork) {
        producerRoot.remove();
      }
      if (backToInvocation != null) {
        backToInvocation.run();
      }
    }
  }
}
