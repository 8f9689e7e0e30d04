package com.example.fanout.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.example.fanout.event.Envelope;
import com.example.fanout.runtime.FunctionVariable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Structured logging of a consumer through Powertools logging (Logback, Powertools' JSON layout: ADR 0102).
 * Every line of an invocation carries Powertools' Lambda fields ({@code cold_start},
 * {@code function_request_id}, {@code service}, ...); every line written while an event is handled
 * also carries {@code correlation_id}, {@code event_id}, {@code event_type} and {@code consumer}.
 */
public final class ConsumerLogging {
  public static final String CORRELATION_ID = "correlation_id";
  public static final String EVENT_ID = "event_id";
  public static final String EVENT_TYPE = "event_type";
  public static final String CONSUMER = "consumer";
  static final String SERVICE = "service";

  private ConsumerLogging() {}

  /**
   * {@code POWERTOOLS_LOGGER_SAMPLE_RATE} of the function being built: the share of invocations
   * logged at DEBUG; a value that is not a number from 0 to 1 is logged as a warning and
   * sampling stays off, as Powertools does. Read when the handler is constructed, since the local runtime scopes each
   * function's environment to its construction.
   */
  public static double sampleRateFromEnvironment() {
    return FunctionVariable.POWERTOOLS_LOGGER_SAMPLE_RATE.readDecimal();
  }

  /**
   * Runs one invocation with Powertools' Lambda fields set and debug sampling at {@code sampleRate}.
   *
   * <p>Powertools samples by setting every logger to DEBUG and leaves it so for the container's
   * life. Here a sampled invocation raises only the loggers the configuration does not quiet (ours
   * and the services'; {@code LogbackLoggingManager} leaves the AWS SDK at its level, or its DEBUG
   * would log every request's signature), and the levels are put back when the invocation ends.
   * Without a Lambda context (a caller outside Lambda that has none) only {@code service} is added.
   */
  public static <T> T withInvocation(Context context, String service, double sampleRate, Supplier<T> body) {
    Supplier<T> withService = () -> {
      MDC.put(SERVICE, service);
      try {
        return body.get();
      } finally {
        MDC.remove(SERVICE);
      }
    };
    if (context == null) {
      return withService.get();
    }
    // Only a sampled invocation changes levels; the snapshot walks every logger, so it is taken only when one can be.
    LevelSnapshot levels = sampleRate > 0 ? LevelSnapshot.take() : LevelSnapshot.NONE;
    try {
      return PowertoolsLogging.withLogging(context, sampleRate, withService);
    } finally {
      levels.restoreAll();
    }
  }

  /** Adds the event's fields to every line written by {@code body}. */
  public static <T> T withEvent(String consumer, Envelope event, Supplier<T> body) {
    MDC.put(CORRELATION_ID, event.correlationId());
    MDC.put(EVENT_ID, event.id());
    MDC.put(EVENT_TYPE, event.type());
    MDC.put(CONSUMER, consumer);
    try {
      return body.get();
    } finally {
      MDC.remove(CORRELATION_ID);
      MDC.remove(EVENT_ID);
      MDC.remove(EVENT_TYPE);
      MDC.remove(CONSUMER);
    }
  }

  /**
   * The levels the configuration set (the root's and those of the loggers it names), to undo
   * Powertools' sampling, which raises them ({@code LogbackLoggingManager}); every other logger
   * follows its parent. Outside Logback (a host bound to another backend) there is nothing to undo.
   */
  private record LevelSnapshot(LoggerContext context, Level root, Map<String, Level> named) {
    static final LevelSnapshot NONE = new LevelSnapshot(null, null, Map.of());

    static LevelSnapshot take() {
      if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
        return NONE;
      }
      Map<String, Level> named = new HashMap<>();
      for (Logger logger : context.getLoggerList()) {
        if (logger.getLevel() != null && !logger.getName().equals(Logger.ROOT_LOGGER_NAME)) {
          named.put(logger.getName(), logger.getLevel());
        }
      }
      return new LevelSnapshot(context, rootOf(context).getLevel(), named);
    }

    private static Logger rootOf(LoggerContext context) {
      return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    private boolean changed() {
      return context != null && rootOf(context).getLevel() != root;
    }

    void restoreAll() {
      if (changed()) {
        named.forEach((name, level) -> context.getLogger(name).setLevel(level));
        rootOf(context).setLevel(root);
      }
    }
  }
}
