package com.example.fanout.consumer.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import com.example.fanout.logging.logback.FunctionLogConfigurator;
import com.example.fanout.logging.logback.LogbackLoggingManager;
import com.example.fanout.runtime.LambdaTraceHeaders;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;
import software.amazon.lambda.powertools.common.internal.LambdaHandlerProcessor;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The DEBUG lines of the record being processed, held back by Powertools' {@code BufferingAppender}
 * ({@code FunctionLogConfigurator}) and written only if the record fails or is dead-lettered, so on-call
 * gets the debug trail of exactly the message that failed and nothing of the ones that went well.
 *
 * <p>Powertools keys its buffer by the invocation's X-Ray trace id; the buffer is cleared when each
 * record starts, so it holds one record's lines. Outside Lambda (no trace id, as Powertools looks it
 * up) the record's message id is the key, set in the thread-local Powertools reads first. While a
 * record is processed a turbo filter lets DEBUG events of the loggers the configuration does not
 * quiet (ours and the services', not the AWS SDK's) through to the buffer whatever the level; a
 * sampled invocation (DEBUG already on) is not buffered, its lines are written as they come.
 */
final class DebugBuffer {
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
        // A host with its own logging configuration and no buffering appender gets no DEBUG let through.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
            && !LogbackLoggingManager.bufferingAppenders(context).isEmpty()) {
          context.addTurboFilter(new RecordDebugFilter());
        }
        installed = true;
      }
    }
  }

  /** Starts buffering the current record's DEBUG lines. @return whether the key was set here (pass to {@link #end}) */
  static boolean begin(String messageId) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).isDebugEnabled()) {
      return false;
    }
    boolean ownKey = false;
    // Powertools' own lookup, so that a key is set exactly when its buffer would find none: a blank
    // header counts as one there (the buffer keyed by ""), where TraceHeaderSource drops it.
    if (LambdaHandlerProcessor.getXrayTraceId().isEmpty()) {
      SdkInternalThreadLocal.put(LambdaTraceHeaders.THREAD_KEY, "Root=" + String.valueOf(messageId).replace(';', '_'));
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
      SdkInternalThreadLocal.remove(LambdaTraceHeaders.THREAD_KEY);
    }
  }

  /** ACCEPT for DEBUG of a logger the configuration does not quiet while a record is buffered; otherwise the levels decide. */
  private static final class RecordDebugFilter extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      if (level != Level.DEBUG || ACTIVE.get() == null) {
        return FilterReply.NEUTRAL;
      }
      return quieted(logger.getName()) ? FilterReply.NEUTRAL : FilterReply.ACCEPT;
    }

    private static boolean quieted(String name) {
      for (String quiet : FunctionLogConfigurator.QUIET_LOGGERS.keySet()) {
        if (name.equals(quiet) || (name.startsWith(quiet) && name.charAt(quiet.length()) == '.')) {
          return true;
        }
      }
      return false;
    }
  }
}
