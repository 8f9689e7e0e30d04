package com.example.fanout.tracing;

import java.time.Instant;
import java.util.Map;

/**
 * One segment or subsegment of an X-Ray trace, flattened out of its segment documents
 * ({@link SegmentDocuments}): a subsegment embedded in its parent's document gets that parent's id
 * as {@code parentId}.
 *
 * @param origin     a segment's {@code origin} ({@code AWS::Lambda::Function}, {@code AWS::SNS}...)
 *                   or a subsegment's {@code namespace} ({@code aws}, {@code remote}), or null
 * @param end        null while the entity is in progress
 * @param annotations the indexed annotations (correlation id, event id, event type, outcome)
 */
public record TraceEntity(
    String traceId,
    String id,
    String parentId,
    String name,
    boolean segment,
    String origin,
    Instant start,
    Instant end,
    boolean fault,
    boolean error,
    Map<String, String> annotations) {

  public String annotation(String key) {
    return annotations.get(key);
  }

  public boolean inProgress() {
    return end == null;
  }
}
