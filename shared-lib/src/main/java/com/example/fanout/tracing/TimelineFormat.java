package com.example.fanout.tracing;

import java.time.Duration;
import java.time.Instant;

/**
 * The timeline table on-call reads, one hop per line, the same from the local runtime and from
 * X-Ray on AWS: offset from the first hop, duration, component, hop, event type, outcome, detail.
 */
public final class TimelineFormat {
  private TimelineFormat() {}

  public static String header(String correlationId, int hops) {
    return "timeline of correlation id " + correlationId + " (" + hops + " hops)\n";
  }

  public static String line(Instant first, Instant start, Instant end, String component, String name, String eventType,
      String outcome, String detail) {
    long offset = Duration.between(first, start).toMillis();
    long took = end == null ? 0 : Duration.between(start, end).toMillis();
    return String.format("%+8d ms %6d ms  %-12s %-34s %-20s %-7s %s%n", offset, took, dash(component), dash(name),
        dash(eventType), dash(outcome), detail == null ? "" : detail);
  }

  /** What a segment's origin or a subsegment's namespace is called in the component column. */
  public static String component(TraceEntity e) {
    if (e.origin() == null) {
      return "function";
    }
    return switch (e.origin()) {
      case "AWS::Lambda" -> "lambda";
      case "AWS::Lambda::Function" -> "function";
      case "AWS::Events" -> "eventbridge";
      case "AWS::SNS" -> "sns";
      case "AWS::SQS" -> "sqs";
      case "aws" -> "aws-sdk";
      default -> e.origin();
    };
  }

  /** The {@code outcome} annotation the consumer runtime sets, else what the fault flags say. */
  public static String outcome(TraceEntity e) {
    String outcome = e.annotation("outcome");
    if (outcome != null) {
      return outcome;
    }
    return e.inProgress() ? "in progress" : e.fault() || e.error() ? "error" : "ok";
  }

  /** The detail column of a segment row: where it came from. */
  public static String detail(TraceEntity e) {
    return "x-ray " + (e.origin() != null ? e.origin() : e.segment() ? "segment" : "subsegment");
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
