package com.example.fanout.logging.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.internal.BufferManager;
import software.amazon.lambda.powertools.logging.internal.LoggingManager;

/**
 * Powertools logging's backend hook (found through {@code ServiceLoader}): sets the levels when
 * Powertools samples an invocation or reads {@code POWERTOOLS_LOG_LEVEL}, and flushes or clears the
 * {@link BufferingAppender}s. Shaped like {@code LogbackLoggingManager} of
 * {@code powertools-logging-logback}, which is not served here (ADR 0102), with two departures:
 * <ul>
 *   <li>A level is set on the root and on the loggers the configuration gave a level of their own,
 *       as Powertools' Log4j backend sets it on the configured loggers, except the loggers
 *       {@link FunctionLogConfigurator#QUIET_LOGGERS} keeps at WARN: {@code POWERTOOLS_LOG_LEVEL},
 *       read when Powertools logging loads, would otherwise let the AWS SDK, X-Ray and EMF write
 *       their INFO lines into every invocation's log. Powertools' Logback backend
 *       gives every logger that exists at that moment a level of its own, so that a logger created
 *       before {@code POWERTOOLS_LOG_LEVEL} was read would no longer follow the root, and a sampled
 *       invocation could not be undone logger by logger ({@code ConsumerLogging}).
 *   <li>The buffering appenders are looked up once, not on every flush and clear (twice per
 *       record): Logback lists its loggers as a sorted copy, hundreds of them once the AWS SDK has
 *       logged. A reset of the context (a new configuration) looks them up again.
 * </ul>
 */
public final class LogbackLoggingManager implements LoggingManager, BufferManager {
  private final LoggerContext context;
  private volatile List<BufferingAppender> buffering;

  public LogbackLoggingManager() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
      throw new IllegalStateException("SLF4J is not bound to Logback but to "
          + LoggerFactory.getILoggerFactory().getClass().getName() + "; Powertools logging needs Logback here");
    }
    this.context = logback;
    logback.addListener(new ForgetAppendersOnReset());
  }

  @Override
  public void setLogLevel(org.slf4j.event.Level level) {
    Level logback = Level.convertAnSLF4JLevel(level);
    context.getLoggerList().stream()
        .filter(logger -> logger.getName().equals(Logger.ROOT_LOGGER_NAME)
            || (logger.getLevel() != null && !FunctionLogConfigurator.QUIET_LOGGERS.containsKey(logger.getName())))
        .forEach(logger -> logger.setLevel(logback));
  }

  @Override
  public org.slf4j.event.Level getLogLevel(org.slf4j.Logger logger) {
    return org.slf4j.event.Level.valueOf(context.getLogger(logger.getName()).getEffectiveLevel().toString());
  }

  @Override
  public void flushBuffer() {
    bufferingAppenders().forEach(BufferingAppender::flushBuffer);
  }

  @Override
  public void clearBuffer() {
    bufferingAppenders().forEach(BufferingAppender::clearBuffer);
  }

  /** Every buffering appender attached to a logger, whatever its name. */
  public static List<BufferingAppender> bufferingAppenders(LoggerContext context) {
    List<BufferingAppender> found = new ArrayList<>();
    for (Logger logger : context.getLoggerList()) {
      logger.iteratorForAppenders().forEachRemaining(appender -> {
        if (appender instanceof BufferingAppender buffering) {
          found.add(buffering);
        }
      });
    }
    return found;
  }

  private List<BufferingAppender> bufferingAppenders() {
    List<BufferingAppender> found = buffering;
    if (found == null) {
      found = List.copyOf(bufferingAppenders(context));
      buffering = found;
    }
    return found;
  }

  private final class ForgetAppendersOnReset implements LoggerContextListener {
    @Override
    public boolean isResetResistant() {
      return true;
    }

    @Override
    public void onStart(LoggerContext context) {
      buffering = null;
    }

    @Override
    public void onReset(LoggerContext context) {
      buffering = null;
    }

    @Override
    public void onStop(LoggerContext context) {
      buffering = null;
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
      // levels do not move appenders
    }
  }
}
