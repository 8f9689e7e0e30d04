package com.example.fanout.local.alarms;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the CloudWatch embedded metric format documents functions print (Powertools metrics
 * writes them to stdout, as in Lambda, where CloudWatch Logs extracts the metrics): every metric of
 * every directive, once per dimension set, goes to the {@link MetricSink}. Other lines (JSON logs)
 * are ignored.
 */
public final class EmfReader {
  private final MetricSink sink;

  public EmfReader(MetricSink sink) {
    this.sink = sink;
  }

  /** @return how many datapoints the line carried (0 for a line that is not an EMF document) */
  public int read(String line) {
    if (line == null || !line.contains("\"_aws\"")) {
      return 0;
    }
    JsonNode doc;
    try {
      doc = EventJson.parse(line.strip());
    } catch (RuntimeException e) {
      return 0;
    }
    int n = 0;
    for (JsonNode directive : doc.path("_aws").path("CloudWatchMetrics")) {
      String namespace = directive.path("Namespace").asText();
      for (JsonNode dimensionSet : directive.path("Dimensions")) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensionSet.forEach(d -> dimensions.put(d.asText(), doc.path(d.asText()).asText()));
        for (JsonNode metric : directive.path("Metrics")) {
          JsonNode value = doc.get(metric.path("Name").asText());
          if (value == null) {
            continue;
          }
          for (JsonNode v : value.isArray() ? value : java.util.List.of(value)) {
            sink.put(namespace, metric.path("Name").asText(), dimensions, v.asDouble());
            n++;
          }
        }
      }
    }
    return n;
  }

  /**
   * A stream that passes everything to {@code out} and reads each complete line: installed as
   * {@code System.out}, it sees what every hosted function prints, wherever stdout goes.
   */
  public PrintStream tee(PrintStream out) {
    return new PrintStream(new LineTee(out, this), true, StandardCharsets.UTF_8);
  }

  private static final class LineTee extends OutputStream {
    private final PrintStream out;
    private final EmfReader reader;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineTee(PrintStream out, EmfReader reader) {
      this.out = out;
      this.reader = reader;
    }

    @Override
    public synchronized void write(int b) {
      out.write(b);
      take(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      out.write(b, off, len);
      for (int i = off; i < off + len; i++) {
        take(b[i]);
      }
    }

    private void take(int b) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        try {
          reader.read(text);
        } catch (RuntimeException e) {
          // a metric that cannot be read must never break a function's output
        }
      } else if (line.size() < 1 << 20) {
        line.write(b);
      }
    }

    @Override
    public void flush() {
      out.flush();
    }
  }
}
