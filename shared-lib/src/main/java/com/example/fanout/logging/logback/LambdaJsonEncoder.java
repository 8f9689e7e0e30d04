package com.example.fanout.logging.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.lambda.powertools.logging.argument.StructuredArgument;
import software.amazon.lambda.powertools.logging.internal.JsonSerializer;
import software.amazon.lambda.powertools.logging.internal.PowertoolsLoggedFields;

/**
 * One JSON object per line in Powertools' Lambda layout: {@code level}, {@code message}, {@code error}
 * ({@code message}, {@code name}, {@code stack}), Powertools' Lambda fields ({@code cold_start},
 * {@code function_request_id}, {@code service}, {@code xray_trace_id}, ...), every other MDC entry,
 * structured arguments, and {@code timestamp} in UTC with milliseconds.
 *
 * <p>Shaped like Powertools' {@code LambdaJsonEncoder} of {@code powertools-logging-logback}, which
 * is not served here (ADR 0102), and written with the same serializer: MDC values that read as a
 * number or a boolean are written unquoted, and {@code sampling_rate} only when sampling is on.
 */
public final class LambdaJsonEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> POWERTOOLS_FIELDS = Set.copyOf(PowertoolsLoggedFields.stringValues());
  private static final String SAMPLING_RATE = PowertoolsLoggedFields.SAMPLING_RATE.getName();

  @Override
  public byte[] headerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] footerBytes() {
    return new byte[0];
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(256);
    try (JsonSerializer json = new JsonSerializer(line)) {
      json.writeStartObject();
      json.writeStringField("level", event.getLevel().toString());
      json.writeRaw(',');
      json.writeStringField("message", event.getFormattedMessage());
      writeError(event.getThrowableProxy(), json);
      Map<String, String> mdc = new TreeMap<>(event.getMDCPropertyMap());
      mdc.forEach((key, value) -> {
        boolean samplingOff = SAMPLING_RATE.equals(key) && "0.0".equals(value);
        if (POWERTOOLS_FIELDS.contains(key) && !samplingOff) {
          writeMdcEntry(key, value, json);
        }
      });
      mdc.forEach((key, value) -> {
        if (!POWERTOOLS_FIELDS.contains(key)) {
          writeMdcEntry(key, value, json);
        }
      });
      writeStructuredArguments(event.getArgumentArray(), json);
      json.writeRaw(',');
      json.writeStringField("timestamp", TIMESTAMP.format(event.getInstant()));
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (Exception e) {
      // A line that cannot be written must not fail the caller; the level and message still reach the log.
      return ("{\"level\":\"ERROR\",\"message\":\"log line not encoded: " + e.getClass().getName() + "\"}\n")
          .getBytes(StandardCharsets.UTF_8);
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void writeError(IThrowableProxy thrown, JsonSerializer json) {
    if (thrown == null) {
      return;
    }
    json.writeRaw(',');
    json.writeFieldName("error");
    json.writeStartObject();
    json.writeStringField("message", thrown.getMessage());
    json.writeRaw(',');
    json.writeStringField("name", thrown.getClassName());
    json.writeRaw(',');
    json.writeStringField("stack", stackTrace(thrown));
    json.writeEndObject();
  }

  private static String stackTrace(IThrowableProxy thrown) {
    if (thrown instanceof ThrowableProxy proxy) {
      java.io.StringWriter text = new java.io.StringWriter();
      proxy.getThrowable().printStackTrace(new java.io.PrintWriter(text));
      return text.toString();
    }
    return ThrowableProxyUtil.asString(thrown);
  }

  private static void writeMdcEntry(String key, String value, JsonSerializer json) {
    json.writeRaw(',');
    json.writeFieldName(key);
    if (isNumberOrBoolean(value)) {
      json.writeRaw(value);
    } else {
      json.writeString(value);
    }
  }

  private static void writeStructuredArguments(Object[] arguments, JsonSerializer json) {
    if (arguments == null) {
      return;
    }
    for (Object argument : arguments) {
      if (argument instanceof StructuredArgument structured) {
        json.writeRaw(',');
        try {
          structured.writeTo(json);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }

  /** As Powertools' encoder: MDC holds strings, and "true", "false", "12", "-0.5" are written as JSON values. */
  static boolean isNumberOrBoolean(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    if (value.equals("true") || value.equals("false")) {
      return true;
    }
    int start = value.charAt(0) == '-' ? 1 : 0;
    if (start == value.length() || value.charAt(value.length() - 1) == '.' || value.charAt(start) == '.') {
      return false;
    }
    if (value.length() - start > 1 && value.charAt(start) == '0' && value.charAt(start + 1) != '.') {
      return false; // a leading zero is not JSON ("007" stays a string)
    }
    int points = 0;
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '.') {
        points++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return points <= 1;
  }
}
