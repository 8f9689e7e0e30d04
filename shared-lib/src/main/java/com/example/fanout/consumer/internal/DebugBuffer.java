package com.example.fanout.consumer.internal;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.message.Message;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.logging.internal.BufferManager;

/**
 * The DEBUG lines of the record being processed, held back by Powertools' {@code BufferingAppender}
 * ({@code log4j2.properties}) and written only if the record fails or is dead-lettered, so on-call
 * gets the debug trail of exactly the message that failed and nothing of the ones that went well.
 *
 * <p>Powertools keys its buffer by the invocation's X-Ray trace id; the buffer is cleared when each
 * record starts, so it holds one record's lines. Outside Lambda (no trace id) the record's message id
 * is the key, set in the thread-local Powertools reads first. While a record is processed a
 * context-wide filter lets DEBUG events of the loggers the configuration does not name (ours and the
 * services', not the AWS SDK's) through to the buffer whatever the level; a sampled invocation
 * (DEBUG already on) is not buffered, its lines are written as they come.
 */
final class DebugBuffer {
  static final String TRACE_KEY = "AWS_LAMBDA_X_TRACE_ID";
  private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();
  private static volatile boolean installed;

  private DebugBuffer() {}

  /** Adds the filter to the logging configuration once per JVM. */
  static void install() {
    if (installed) {
      return;
    }
    synchronized (DebugBuffer.class) {
      if (!installed) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        // A host with its own logging configuration and no buffering appender gets no DEBUG let through.
        if (configuration.getAppenders().values().stream().anyMatch(a -> a instanceof BufferManager)) {
          configuration.addFilter(new RecordDebugFilter(configuration));
          context.updateLoggers();
        }
        installed = true;
      }
    }
  }

  /** Starts buffering the current record's DEBUG lines. @return whether the key was set here (pass to {@link #end}) */
  static boolean begin(String messageId) {
    if (LogManager.getRootLogger().isDebugEnabled()) {
      return false;
    }
    boolean ownKey = false;
    if (SdkInternalThreadLocal.get(TRACE_KEY) == null && System.getenv("_X_AMZN_TRACE_ID") == null
        && System.getProperty("com.amazonaws.xray.traceHeader") == null) {
      SdkInternalThreadLocal.put(TRACE_KEY, "Root=" + String.valueOf(messageId).replace(';', '_'));
      ownKey = true;
    }
    PowertoolsLogging.clearBuffer();
    ACTIVE.set(Boolean.TRUE);
    return ownKey;
  }

  /** Writes the record's held-back DEBUG lines: it failed or was dead-lettered. */
  static void flush() {
    if (ACTIVE.get() != null) {
      PowertoolsLogging.flushBuffer();
    }
  }

  /** Drops what is left of the record's buffer. */
  static void end(boolean ownKey) {
    if (ACTIVE.get() == null) {
      return;
    }
    ACTIVE.remove();
    PowertoolsLogging.clearBuffer();
    if (ownKey) {
      SdkInternalThreadLocal.remove(TRACE_KEY);
    }
  }

  /** ACCEPT for DEBUG of an unnamed logger while a record is buffered; otherwise the levels decide. */
  private static final class RecordDebugFilter extends AbstractFilter {
    private final Configuration configuration;

    RecordDebugFilter(Configuration configuration) {
      super(Filter.Result.ACCEPT, Filter.Result.NEUTRAL);
      this.configuration = configuration;
    }

    private Result decide(String loggerName, Level level) {
      if (ACTIVE.get() == null || level != Level.DEBUG) {
        return Result.NEUTRAL;
      }
      boolean named = !configuration.getLoggerConfig(loggerName == null ? "" : loggerName).getName().isEmpty();
      return named ? Result.NEUTRAL : Result.ACCEPT;
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object... params) {
      return decide(logger.getName(), level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Object msg, Throwable t) {
      return decide(logger.getName(), level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Message msg, Throwable t) {
      return decide(logger.getName(), level);
    }

    @Override
    public Result filter(LogEvent event) {
      return decide(event.getLoggerName(), event.getLevel());
    }
  }
}
