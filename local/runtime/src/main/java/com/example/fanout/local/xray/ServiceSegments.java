package com.example.fanout.local.xray;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.observability.EventRef;
import com.example.fanout.local.observability.SpanLog;
import com.example.fanout.tracing.SegmentDocuments;
import com.example.fanout.tracing.Span;
import com.example.fanout.tracing.TraceHeader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * The segments AWS services record themselves (they do not go through a daemon): Lambda's service and
 * function segments, the EventBridge bus and the SNS topic. Each continues the trace of the header it
 * was given ({@code Parent=} becomes its parent) or starts a sampled trace when there is none, and
 * gives the header to pass on, with itself as the parent.
 */
public final class ServiceSegments {
  public static final String LAMBDA = "AWS::Lambda";
  public static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
  public static final String EVENTBRIDGE = "AWS::Events";
  public static final String SNS = "AWS::SNS";

  private final TraceStore store;

  public ServiceSegments(TraceStore store) {
    this.store = store;
  }

  /** Starts a segment in the trace of {@code upstreamHeader} (a new trace when null or unreadable). */
  public ServiceSegment begin(String name, String origin, String upstreamHeader) {
    Optional<TraceHeader> upstream = TraceHeader.parse(upstreamHeader);
    boolean sampled = upstream.map(h -> !Boolean.FALSE.equals(h.sampled())).orElse(true);
    String traceId = upstream.map(TraceHeader::root).orElseGet(SpanLog::newTraceId);
    return new ServiceSegment(traceId, upstream.map(TraceHeader::parent).orElse(null), name, origin, sampled);
  }

  /** One service segment: annotate it, pass {@link #header()} on, then {@link #end()} it. */
  public final class ServiceSegment {
    private final ObjectNode document = EventJson.mapper().createObjectNode();
    private final String traceId;
    private final String id = SpanLog.newSpanId();
    private final boolean sampled;
    private boolean ended;

    private ServiceSegment(String traceId, String parentId, String name, String origin, boolean sampled) {
      this.traceId = traceId;
      this.sampled = sampled;
      document.put("name", name).put("id", id).put("trace_id", traceId).put("origin", origin)
          .put("start_time", SegmentDocuments.seconds(Instant.now()));
      if (parentId != null) {
        document.put("parent_id", parentId);
      }
    }

    public String traceId() {
      return traceId;
    }

    public String id() {
      return id;
    }

    /** The header the service passes downstream: this trace, this segment as the parent. */
    public String header() {
      return new TraceHeader(traceId, id, sampled).toString();
    }

    /** A segment of another service that this one calls (Lambda's function segment under its service segment). */
    public ServiceSegment child(String name, String origin) {
      return begin(name, origin, header());
    }

    public ServiceSegment annotate(String key, String value) {
      if (value != null) {
        synchronized (document) {
          (document.has("annotations") ? (ObjectNode) document.get("annotations") : document.putObject("annotations"))
              .put(key, value);
        }
      }
      return this;
    }

    /** The indexed annotations of the event this hop carries, as the consumer runtime sets them. */
    public ServiceSegment annotate(EventRef ref) {
      return annotate(Span.CORRELATION_ID, ref.correlationId()).annotate(Span.EVENT_ID, ref.eventId())
          .annotate(Span.EVENT_TYPE, ref.eventType());
    }

    /** Free text X-Ray shows with the segment (not indexed). */
    public ServiceSegment metadata(String key, String value) {
      if (value != null) {
        synchronized (document) {
          ObjectNode metadata = document.has("metadata") ? (ObjectNode) document.get("metadata") : document.putObject("metadata");
          ObjectNode local = metadata.has("local") ? (ObjectNode) metadata.get("local") : metadata.putObject("local");
          local.put(key, value);
        }
      }
      return this;
    }

    /** A server-side failure of the call this segment records (X-Ray's {@code fault}). */
    public ServiceSegment fault(String cause) {
      synchronized (document) {
        document.put("fault", true);
      }
      return metadata("cause", cause);
    }

    /** A client-side failure (bad request, refused input): X-Ray's {@code error}. */
    public ServiceSegment error(String cause) {
      synchronized (document) {
        document.put("error", true);
      }
      return metadata("cause", cause);
    }

    /** Records the segment as in progress (as a long-running segment is sent before it ends). */
    public ServiceSegment sendInProgress() {
      if (sampled) {
        ObjectNode copy;
        synchronized (document) {
          copy = document.deepCopy();
        }
        copy.put("in_progress", true);
        store.put(copy);
      }
      return this;
    }

    public void end() {
      ObjectNode done;
      synchronized (document) {
        if (ended) {
          return;
        }
        ended = true;
        document.put("end_time", SegmentDocuments.seconds(Instant.now()));
        done = document.deepCopy();
      }
      if (sampled) {
        store.put(done);
      }
    }
  }
}
