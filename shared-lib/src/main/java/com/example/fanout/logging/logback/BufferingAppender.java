package com.example.fanout.logging.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.Deque;
import java.util.Iterator;
import software.amazon.lambda.powertools.common.internal.LambdaHandlerProcessor;
import software.amazon.lambda.powertools.logging.internal.BufferManager;
import software.amazon.lambda.powertools.logging.internal.KeyBuffer;

/**
 * Powertools' log buffering on Logback: lines at {@code bufferAtVerbosity} or below are held per
 * X-Ray trace id (the invocation) and written only by {@code PowertoolsLogging.flushBuffer()}, or
 * when an ERROR line is logged; without a trace id (the init phase) every line passes straight on.
 *
 * <p>Shaped like {@code BufferingAppender} of {@code powertools-logging-logback}, which is not
 * served here (ADR 0102), with Powertools' own {@link KeyBuffer}. A held event is prepared for
 * deferred processing when it is buffered, so it keeps the MDC and message of the moment it was logged.
 */
public final class BufferingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent>, BufferManager {
  private static final int DEFAULT_MAX_BYTES = 20_480;

  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private Level bufferAtVerbosity = Level.DEBUG;
  private boolean flushOnErrorLog = true;
  private int maxBytes = DEFAULT_MAX_BYTES;
  private KeyBuffer<String, ILoggingEvent> buffer;

  @Override
  public void start() {
    buffer = new KeyBuffer<>(maxBytes, event -> event.getFormattedMessage().length(), this::warnOfEvictedLines);
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    LambdaHandlerProcessor.getXrayTraceId().ifPresentOrElse(traceId -> {
      if (event.getLevel().levelInt <= bufferAtVerbosity.levelInt) {
        event.prepareForDeferredProcessing();
        buffer.add(traceId, event);
      } else {
        appenders.appendLoopOnAppenders(event);
      }
      if (flushOnErrorLog && event.getLevel().isGreaterOrEqual(Level.ERROR)) {
        flush(traceId);
      }
    }, () -> appenders.appendLoopOnAppenders(event));
  }

  @Override
  public void flushBuffer() {
    LambdaHandlerProcessor.getXrayTraceId().ifPresent(this::flush);
  }

  @Override
  public void clearBuffer() {
    LambdaHandlerProcessor.getXrayTraceId().ifPresent(buffer::clear);
  }

  private void flush(String traceId) {
    Deque<ILoggingEvent> held = buffer.removeAll(traceId);
    if (held != null) {
      held.forEach(appenders::appendLoopOnAppenders);
    }
  }

  private void warnOfEvictedLines() {
    Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(BufferingAppender.class);
    LoggingEvent warning = new LoggingEvent(BufferingAppender.class.getName(), logger, Level.WARN,
        "Some logs are not displayed because they were evicted from the buffer. Increase buffer size to store more logs in the buffer.",
        null, null);
    appenders.appendLoopOnAppenders(warning);
  }

  public void setBufferAtVerbosity(String level) {
    this.bufferAtVerbosity = Level.toLevel(level, Level.DEBUG);
  }

  public void setMaxBytes(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public void setFlushOnErrorLog(boolean flushOnErrorLog) {
    this.flushOnErrorLog = flushOnErrorLog;
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
