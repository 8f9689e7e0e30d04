package com.example.fanout.testing;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Captures what is printed to stdout (log lines, EMF documents) while still showing it. */
public final class StdoutCapture implements AutoCloseable {
  private final PrintStream original = System.out;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  public StdoutCapture() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        buffer.write(b);
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
        original.write(b, off, len);
      }
    };
    System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Every printed line that is a JSON object, parsed. */
  public List<JsonNode> jsonLines() {
    System.out.flush();
    return buffer.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith("{"))
        .map(EventJson::parse)
        .toList();
  }

  @Override
  public void close() {
    System.setOut(original);
  }
}
