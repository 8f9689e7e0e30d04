package com.example.fanout.logging.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The functions' logging, set up in code when Logback starts (found through {@code ServiceLoader};
 * no XML to parse at cold start): one JSON object per line on stdout in Powertools' layout
 * ({@link LambdaJsonEncoder}), through Powertools' buffering ({@link BufferingAppender}: a record's
 * DEBUG lines are held and written only if the record fails, see {@code consumer.internal.DebugBuffer}).
 *
 * <p>The root level is {@code POWERTOOLS_LOG_LEVEL} (INFO without it); the AWS SDK, the X-Ray SDK and
 * EMF log at WARN, since their INFO and DEBUG lines describe every request, not the function's work.
 * A host with a configuration file of its own ({@code -Dlogback.configurationFile}, as the
 * {@code fanout} command) is left to Logback's own configurators.
 */
public final class FunctionLogConfigurator extends ContextAwareBase implements Configurator {
  /** Loggers kept at WARN whatever the root level; a sampled invocation does not raise them either. */
  public static final Map<String, Level> QUIET_LOGGERS = Map.of(
      "software.amazon.awssdk", Level.WARN,
      "com.amazonaws.xray", Level.WARN,
      // EMF's environment detection logs "Unknown name" at INFO wherever the Lambda variables are not
      // the process's own (tests, the local runtime), into the invocation's log lines.
      "software.amazon.cloudwatchlogs.emf", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
    json.setContext(context);
    json.setName("JsonAppender");
    LambdaJsonEncoder encoder = new LambdaJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    json.setEncoder(encoder);
    json.start();

    BufferingAppender buffered = new BufferingAppender();
    buffered.setContext(context);
    buffered.setName("BufferedJsonAppender");
    buffered.addAppender(json);
    buffered.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("POWERTOOLS_LOG_LEVEL"), Level.INFO));
    root.addAppender(buffered);
    QUIET_LOGGERS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
