package com.example.fanout.manifest;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Finds the unquoted keys and values that YAML 1.1 and YAML 1.2 read differently. Terraform's
 * {@code yamldecode} follows YAML 1.1, where a bare {@code on} is the boolean true, {@code 010} is
 * eight and {@code 1:30} is ninety; Java and the node checks follow YAML 1.2, where they are the
 * string "on", ten and the string "1:30". A manifest must mean the same to both, so such scalars
 * must be quoted. Measured with Terraform 1.11.4: {@code yamldecode} reads y/n/yes/no/on/off as
 * booleans and rewrites dates as RFC 3339 timestamps; the other YAML 1.1 forms (octal, binary,
 * base 60, underscores) are rejected too because parsers disagree on them.
 */
final class Yaml11Scalars {
  private static final Pattern BOOLEAN_11 = Pattern.compile("(?i)y|n|yes|no|on|off");
  private static final Pattern OCTAL_11 = Pattern.compile("[-+]?0[0-7_]+");
  private static final Pattern BINARY_11 = Pattern.compile("[-+]?0b[01_]+");
  private static final Pattern OCTAL_12 = Pattern.compile("[-+]?0o[0-7]+");
  private static final Pattern SEXAGESIMAL_11 = Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");
  private static final Pattern UNDERSCORED_NUMBER_11 = Pattern.compile("[-+]?(0x[0-9a-fA-F_]*|[0-9_]*\\.?[0-9_]*)");
  private static final Pattern FLOAT_11 = Pattern.compile("[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?");
  private static final Pattern FLOAT_12 = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern INT_12 = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern TIMESTAMP_11 = Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \\t]+)[0-9].*)?");

  private Yaml11Scalars() {}

  /** One problem per ambiguous plain scalar, reported as {@code file:line}. */
  static List<ManifestProblem> check(String file, String text) {
    List<ManifestProblem> problems = new ArrayList<>();
    // Each open mapping remembers whether its next scalar is a key; sequences push null.
    Deque<boolean[]> containers = new ArrayDeque<>();
    for (Event event : new Yaml(new LoaderOptions()).parse(new StringReader(text))) {
      switch (event.getEventId()) {
        case MappingStart -> {
          markValueConsumed(containers);
          containers.push(new boolean[] {true});
        }
        case SequenceStart -> {
          markValueConsumed(containers);
          containers.push(new boolean[] {false, true});
        }
        case MappingEnd, SequenceEnd -> containers.pop();
        case Scalar -> {
          boolean key = isKeyPosition(containers);
          markValueConsumed(containers);
          ScalarEvent scalar = (ScalarEvent) event;
          if (scalar.getScalarStyle() == ScalarStyle.PLAIN) {
            reason(scalar.getValue()).ifPresent(why -> problems.add(new ManifestProblem(
                file + ":" + (scalar.getStartMark().getLine() + 1), "",
                (key ? "key " : "value ") + scalar.getValue() + " " + why + ": quote it (\"" + scalar.getValue() + "\")")));
          }
        }
        default -> { }
      }
    }
    return problems;
  }

  private static boolean isKeyPosition(Deque<boolean[]> containers) {
    boolean[] top = containers.peek();
    return top != null && top.length == 1 && top[0];
  }

  private static void markValueConsumed(Deque<boolean[]> containers) {
    boolean[] top = containers.peek();
    if (top != null && top.length == 1) {
      top[0] = !top[0];
    }
  }

  static Optional<String> reason(String plain) {
    if (BOOLEAN_11.matcher(plain).matches()) {
      return Optional.of("is a boolean in YAML 1.1 (Terraform's yamldecode) but a string in YAML 1.2");
    }
    if (plain.equals("<<")) {
      return Optional.of("is a merge key in YAML 1.1 only");
    }
    if (plain.equals("=")) {
      return Optional.of("is a value-key in YAML 1.1 only");
    }
    if (OCTAL_11.matcher(plain).matches()) {
      return Optional.of("has a leading zero: octal in YAML 1.1, decimal in YAML 1.2 (parsers disagree)");
    }
    if (TIMESTAMP_11.matcher(plain).matches()) {
      return Optional.of("is a timestamp in YAML 1.1 (Terraform's yamldecode rewrites 2026-01-01 as 2026-01-01T00:00:00Z) but a string in YAML 1.2");
    }
    if (BINARY_11.matcher(plain).matches()) {
      return Optional.of("is a binary number in YAML 1.1 but a string in YAML 1.2");
    }
    if (OCTAL_12.matcher(plain).matches()) {
      return Optional.of("is an octal number in YAML 1.2 but a string in YAML 1.1");
    }
    if (SEXAGESIMAL_11.matcher(plain).matches()) {
      return Optional.of("is a base-60 number in YAML 1.1 but a string in YAML 1.2");
    }
    if (plain.contains("_") && plain.chars().anyMatch(Character::isDigit) && UNDERSCORED_NUMBER_11.matcher(plain).matches()) {
      return Optional.of("is a number in YAML 1.1 (underscores ignored) but a string in YAML 1.2");
    }
    if (FLOAT_12.matcher(plain).matches() && !INT_12.matcher(plain).matches() && !FLOAT_11.matcher(plain).matches()) {
      return Optional.of("is a number in YAML 1.2 but a string in YAML 1.1");
    }
    if (FLOAT_11.matcher(plain).matches() && !FLOAT_12.matcher(plain).matches() && plain.chars().anyMatch(Character::isDigit)) {
      return Optional.of("is a number in YAML 1.1 but a string in YAML 1.2");
    }
    return Optional.empty();
  }
}
