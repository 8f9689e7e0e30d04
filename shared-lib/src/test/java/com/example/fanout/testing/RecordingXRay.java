package com.example.fanout.testing;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.contexts.LambdaSegmentContext;
import com.amazonaws.xray.contexts.SegmentContextResolverChain;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import com.example.fanout.tracing.XRayTracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An X-Ray SDK recorder (outside Lambda, every request sampled) that keeps what it would send to the daemon. */
public final class RecordingXRay {
  private final List<Segment> segments = new CopyOnWriteArrayList<>();
  private final List<Entity> streamed = new CopyOnWriteArrayList<>();
  private final AWSXRayRecorder recorder;

  public RecordingXRay() {
    this(AWSXRayRecorderBuilder.standard().withSamplingStrategy(new AllSamplingStrategy()));
  }

  private RecordingXRay(AWSXRayRecorderBuilder builder) {
    this.recorder = builder.withEmitter(new Emitter() {
      @Override
      public boolean sendSegment(Segment segment) {
        segments.add(segment);
        streamed.add(segment);
        return true;
      }

      @Override
      public boolean sendSubsegment(Subsegment subsegment) {
        streamed.add(subsegment);
        return true;
      }
    }).build();
  }

  /**
   * A recorder as the X-Ray SDK builds one in Lambda: Lambda's segment context, whose subsegments
   * belong to the invocation's trace header and are streamed one by one as they end ({@link #streamed}).
   */
  public static RecordingXRay inLambdaContext() {
    SegmentContextResolverChain lambda = new SegmentContextResolverChain();
    lambda.addResolver(LambdaSegmentContext::new);
    return new RecordingXRay(AWSXRayRecorderBuilder.standard().withSegmentContextResolverChain(lambda));
  }

  /** Every segment and every subsegment streamed on its own, in the order they were sent. */
  public List<Entity> streamed() {
    return List.copyOf(streamed);
  }

  public AWSXRayRecorder recorder() {
    return recorder;
  }

  public XRayTracer tracer() {
    return new XRayTracer(recorder, false);
  }

  /** One sent segment or one of its subsegments. */
  public record Sent(String traceId, String id, String parentId, String name, Map<String, Object> annotations) {
    public Object annotation(String key) {
      return annotations.get(key);
    }
  }

  /** Every segment sent and their subsegments, segments in the order they were sent, each followed by its subsegments. */
  public List<Sent> sent() {
    List<Sent> out = new ArrayList<>();
    for (Segment s : segments) {
      add(s, s.getParentId(), s.getTraceId().toString(), out);
    }
    return out;
  }

  public List<Sent> trace(String traceId) {
    return sent().stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  private static void add(Entity entity, String parentId, String traceId, List<Sent> out) {
    out.add(new Sent(traceId, entity.getId(), parentId, entity.getName(), Map.copyOf(entity.getAnnotations())));
    for (Subsegment child : entity.getSubsegmentsCopy()) {
      add(child, entity.getId(), traceId, out);
    }
  }
}
