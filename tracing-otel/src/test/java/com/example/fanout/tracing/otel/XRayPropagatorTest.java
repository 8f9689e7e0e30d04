package com.example.fanout.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XRayPropagatorTest {
  private static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier.get(key);
    }
  };

  @Test
  void extract_shouldReadRootParentAndSampled_asARemoteParent() {
    Context context = XRayPropagator.getInstance().extract(Context.root(), Map.of("X-Amzn-Trace-Id", HEADER), GETTER);

    SpanContext parent = Span.fromContext(context).getSpanContext();
    assertThat(parent.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(parent.getSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(parent.isSampled()).isTrue();
    assertThat(parent.isRemote()).isTrue();
  }

  @Test
  void inject_shouldWriteTheHeaderBack_whenTheContextCameFromOne() {
    Context context = XRayPropagator.getInstance().extract(Context.root(), Map.of("X-Amzn-Trace-Id", HEADER), GETTER);
    Map<String, String> carrier = new HashMap<>();

    XRayPropagator.getInstance().inject(context, carrier, Map::put);

    assertThat(carrier).containsExactly(Map.entry("X-Amzn-Trace-Id", HEADER));
  }

  @Test
  void extract_shouldKeepNotSampled_andIgnoreHeadersItCannotContinue() {
    assertThat(XRayPropagator.spanContext("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0"))
        .hasValueSatisfying(sc -> assertThat(sc.isSampled()).isFalse());
    assertThat(XRayPropagator.spanContext("Root=1-5759e988-bd862e3fe1be46a994272793")).as("no parent").isEmpty();
    assertThat(XRayPropagator.spanContext("Root=5759e988bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")).as("not X-Ray's root").isEmpty();
    assertThat(XRayPropagator.spanContext("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000")).as("invalid span id").isEmpty();
    assertThat(XRayPropagator.spanContext((String) null)).isEmpty();
  }
}
