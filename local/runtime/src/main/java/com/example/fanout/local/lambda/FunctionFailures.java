package com.example.fanout.local.lambda;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every function's timeouts, crashes and errors, whatever triggered it (queue, stream, HTTP, S3,
 * schedule), counted per function with the latest one: what the live view and
 * {@code GET /_local/functions} show, so that a failure is not only a line in the function log.
 */
public final class FunctionFailures {
  public enum Kind {
    /** The invocation ran past the function's timeout ({@link FunctionTimeoutException}). */
    TIMEOUT,
    /** The function died before or while running the handler (an injected crash fault, or an Error). */
    CRASH,
    /** The handler threw: Lambda reports the whole invocation as failed. */
    ERROR
  }

  public record Failure(Instant at, String function, Kind kind, String message) {}

  /** One function's counts and its latest failure. */
  public record Summary(String function, long timeouts, long crashes, long errors, Failure last) {
    public long total() {
      return timeouts + crashes + errors;
    }
  }

  private final Map<String, Summary> byFunction = new TreeMap<>();

  public synchronized void record(String function, Kind kind, String message) {
    Failure failure = new Failure(Instant.now(), function, kind, message == null ? "" : message);
    Summary old = byFunction.getOrDefault(function, new Summary(function, 0, 0, 0, null));
    byFunction.put(function, new Summary(function, old.timeouts() + (kind == Kind.TIMEOUT ? 1 : 0),
        old.crashes() + (kind == Kind.CRASH ? 1 : 0), old.errors() + (kind == Kind.ERROR ? 1 : 0), failure));
  }

  /** Functions that failed at least once, by name. */
  public synchronized List<Summary> summaries() {
    return new ArrayList<>(byFunction.values());
  }

  public synchronized long total() {
    return byFunction.values().stream().mapToLong(Summary::total).sum();
  }
}
