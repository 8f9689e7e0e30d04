package com.example.fanout.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One runbook as the test reads it: its {@code ##} sections and its fenced command blocks. A block
 * opened with {@code ```sh} runs against the local runtime; one opened with {@code ```sh aws-only}
 * needs an AWS account (CloudWatch, Logs Insights, X-Ray, Lambda, SNS, Scheduler) and is skipped. The
 * first block after a {@code ### From the alarm to ...} heading is the runbook's path from the alarm
 * to the failing order.
 */
record Runbook(String name, Path file, List<String> sections, List<Block> blocks) {
  /** The heading ({@code ###}) whose first block is the path from the alarm: "... to the order", "... to the run". */
  static final String PATH_HEADING = "From the alarm to the ";

  record Block(Runbook.Ref runbook, int index, String section, boolean awsOnly, boolean alarmPath, String script) {
    /** {@code $(...)} command substitutions: what they run is captured, not printed. */
    private static final java.util.regex.Pattern CAPTURED = java.util.regex.Pattern.compile("\\$\\((?:[^()]|\\([^()]*\\))*\\)");

    String label() {
      String first = script.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#")).findFirst().orElse("").strip();
      return runbook.name() + " #" + index + " (" + section + "): " + (first.length() > 70 ? first.substring(0, 70) + "..." : first);
    }

    boolean uses(String text) {
      return script.contains(text);
    }

    /** Whether the block shows what {@code text} prints: it uses it outside a command substitution. */
    boolean prints(String text) {
      return CAPTURED.matcher(script).replaceAll("").contains(text);
    }

    /**
     * The commands, one per line: comment lines and trailing comments dropped, {@code \\}-continued
     * lines joined.
     */
    List<String> commands() {
      List<String> out = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : script.lines().toList()) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        l = l.replaceFirst("\\s+#\\s.*$", "");
        if (l.endsWith("\\")) {
          current.append(l.substring(0, l.length() - 1).strip()).append(' ');
          continue;
        }
        out.add(current.append(l).toString().strip());
        current.setLength(0);
      }
      return out;
    }
  }

  record Ref(String name) {}

  static List<Runbook> all(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".md"))
          .filter(f -> !f.getFileName().toString().equals("README.md"))
          .sorted()
          .map(Runbook::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Runbook read(Path file) {
    String name = file.getFileName().toString().replaceFirst("\\.md$", "");
    List<String> sections = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    Ref ref = new Ref(name);
    String section = "";
    boolean pathNext = false;
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("## ")) {
        section = line.substring(3).strip();
        sections.add(section);
        pathNext = false;
        continue;
      }
      if (line.startsWith("### ")) {
        pathNext = line.substring(4).strip().startsWith(PATH_HEADING);
        continue;
      }
      String fence = line.strip();
      if (fence.startsWith("```sh")) {
        String info = fence.substring(3).strip();
        boolean awsOnly = info.equals("sh aws-only");
        if (!awsOnly && !info.equals("sh")) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": unknown block kind '" + info + "' (use ```sh or ```sh aws-only)");
        }
        boolean alarmPath = pathNext && !awsOnly;
        pathNext = false;
        int indent = line.indexOf('`');
        StringBuilder script = new StringBuilder();
        int j = i + 1;
        for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
          String l = lines.get(j);
          script.append(l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.stripLeading()).append('\n');
        }
        if (j == lines.size()) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": unterminated code block");
        }
        blocks.add(new Block(ref, blocks.size() + 1, section, awsOnly, alarmPath, script.toString()));
        i = j;
      }
    }
    return new Runbook(name, file, sections, blocks);
  }

  List<Block> localBlocks() {
    return blocks.stream().filter(b -> !b.awsOnly()).toList();
  }

  static Map<String, Runbook> byName(List<Runbook> runbooks) {
    Map<String, Runbook> out = new LinkedHashMap<>();
    runbooks.forEach(r -> out.put(r.name(), r));
    return out;
  }
}
