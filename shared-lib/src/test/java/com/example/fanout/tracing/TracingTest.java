package com.example.fanout.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import com.example.fanout.event.EventJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracingTest {
  private static final String PRODUCER = "Root=1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d;Parent=53995c3f42cd8ad8;Sampled=1";

  @Test
  void parse_shouldReadRootParentAndSampled_whenHeaderIsComplete() {
    TraceHeader header = TraceHeader.parse(PRODUCER).orElseThrow();

    assertThat(header.root()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(header.parent()).isEqualTo("53995c3f42cd8ad8");
    assertThat(header.sampled()).isTrue();
    assertThat(header.toString()).isEqualTo(PRODUCER);
    assertThat(TraceHeader.parse("Sampled=1")).isEmpty();
  }

  @Test
  void localTracer_shouldContinueProducerTraceAndWriteJsonLines_whenSegmentHasParentHeader(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("trace.jsonl");
    LocalTracer tracer = new LocalTracer(java.time.Clock.systemUTC(), file);

    String downstream;
    try (Span span = tracer.startSegment("inventory.reserve-stock OrderPlaced", PRODUCER)) {
      span.annotate(Span.CORRELATION_ID, "ord_7Hq2mX9pLk").annotate(Span.EVENT_ID, "evt_1").outcome("ok");
      try (Span child = tracer.subsegment("DynamoDB.PutItem")) {
        downstream = tracer.currentTraceHeader().orElseThrow();
        assertThat(child.traceId()).isEqualTo(span.traceId());
      }
    }

    List<SpanRecord> spans = tracer.timeline("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(spans).extracting(SpanRecord::name).containsExactly("inventory.reserve-stock OrderPlaced", "DynamoDB.PutItem");
    assertThat(spans.get(0).parentId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(spans.get(1).parentId()).isEqualTo(spans.get(0).spanId());
    assertThat(spans.get(1).correlationId()).isEqualTo("ord_7Hq2mX9pLk");
    assertThat(TraceHeader.parse(downstream).orElseThrow().root()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(tracer.currentTraceHeader()).isEmpty();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(EventJson.convert(EventJson.parse(lines.get(1)), SpanRecord.class).outcome()).isEqualTo("ok");
  }

  @Test
  void xrayTracer_shouldStartSegmentInProducerTrace_whenOutsideLambda() {
    List<Segment> sent = new CopyOnWriteArrayList<>();
    AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard()
        .withSamplingStrategy(new AllSamplingStrategy())
        .withEmitter(new Emitter() {
          @Override
          public boolean sendSegment(Segment segment) {
            sent.add(segment);
            return true;
          }

          @Override
          public boolean sendSubsegment(Subsegment subsegment) {
            return true;
          }
        })
        .build();
    XRayTracer tracer = new XRayTracer(recorder, false);

    String downstream;
    String segmentId;
    try (Span span = tracer.startSegment("inventory.reserve-stock OrderPlaced", PRODUCER)) {
      span.annotate(Span.CORRELATION_ID, "ord_7Hq2mX9pLk").outcome("ok");
      segmentId = span.spanId();
      try (Span child = tracer.subsegment("publish")) {
        downstream = tracer.currentTraceHeader().orElseThrow();
        assertThat(TraceHeader.parse(downstream).orElseThrow().parent()).isEqualTo(child.spanId());
      }
    }

    assertThat(TraceHeader.parse(downstream).orElseThrow().root()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
    assertThat(sent).singleElement().satisfies(segment -> {
      assertThat(segment.getTraceId().toString()).isEqualTo("1-6745a0c0-5e1c2b3a4d5f6e7f8a9b0c1d");
      assertThat(segment.getParentId()).isEqualTo("53995c3f42cd8ad8");
      assertThat(segment.getId()).isEqualTo(segmentId);
      assertThat(segment.getAnnotations()).containsEntry(Span.CORRELATION_ID, "ord_7Hq2mX9pLk");
      assertThat(segment.getSubsegmentsCopy()).hasSize(1);
    });
  }
}
