package com.example.fanout.tracing.otel;

import com.example.fanout.tracing.TraceHeader;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The X-Ray trace header ({@code X-Amzn-Trace-Id}, SQS's {@code AWSTraceHeader}, PutEvents'
 * {@code TraceHeader}) as OpenTelemetry context: {@code Root=1-5759e988-bd862e3fe1be46a994272793}
 * is trace id {@code 5759e988bd862e3fe1be46a994272793}, {@code Parent} the span id, {@code Sampled}
 * the sampled flag. OpenTelemetry contrib's AWS X-Ray propagator is not served here; this is the
 * same mapping, tested against the header format.
 */
public final class XRayPropagator implements TextMapPropagator {
  public static final String FIELD = "X-Amzn-Trace-Id";
  private static final XRayPropagator INSTANCE = new XRayPropagator();

  public static XRayPropagator getInstance() {
    return INSTANCE;
  }

  @Override
  public List<String> fields() {
    return List.of(FIELD);
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    header(Span.fromContext(context).getSpanContext()).ifPresent(h -> setter.set(carrier, FIELD, h));
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    String value = carrier == null ? null : getter.get(carrier, FIELD);
    return spanContext(value).map(sc -> context.with(Span.wrap(sc))).orElse(context);
  }

  /** The header for a span context; empty when it is not valid. */
  public static Optional<String> header(SpanContext context) {
    if (!context.isValid()) {
      return Optional.empty();
    }
    String traceId = context.getTraceId();
    String root = "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
    return Optional.of(new TraceHeader(root, context.getSpanId(), context.isSampled()).toString());
  }

  /** The remote parent a header names; empty without a well-formed root and parent. */
  public static Optional<SpanContext> spanContext(String header) {
    return TraceHeader.parse(header).flatMap(XRayPropagator::spanContext);
  }

  static Optional<SpanContext> spanContext(TraceHeader header) {
    String root = header.root();
    if (header.parent() == null || root.length() != 35 || !root.startsWith("1-") || root.charAt(10) != '-') {
      return Optional.empty();
    }
    String traceId = (root.substring(2, 10) + root.substring(11)).toLowerCase(Locale.ROOT);
    SpanContext context = SpanContext.createFromRemoteParent(traceId, header.parent().toLowerCase(Locale.ROOT),
        Boolean.FALSE.equals(header.sampled()) ? TraceFlags.getDefault() : TraceFlags.getSampled(), TraceState.getDefault());
    return context.isValid() ? Optional.of(context) : Optional.empty();
  }
}
