package com.example.fanout.ops;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --output text|json}, shared by every subcommand as a picocli mixin: text for a person,
 * JSON (one document on stdout, nothing else there) for {@code jq} and scripts.
 */
public final class Output {
  public enum Format { text, json }

  @Option(names = {"-o", "--output"}, defaultValue = "text",
      description = "text (default) or json: one JSON document on stdout, for scripts")
  Format format = Format.text;

  public boolean json() {
    return format == Format.json;
  }

  /** One item a command could not handle, with why: every JSON result lists them as {@code failures}. */
  public record Failure(String id, String reason) {}

  /**
   * Where progress and notes go: stdout for text; stderr for JSON, so that stdout holds only the one
   * document.
   */
  public PrintWriter notes(CommandSpec spec) {
    return json() ? spec.commandLine().getErr() : spec.commandLine().getOut();
  }

  /** Writes {@code value} as indented JSON. */
  public void printJson(PrintWriter out, Object value) {
    try {
      out.println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the result as JSON", e);
    }
    out.flush();
  }
}
