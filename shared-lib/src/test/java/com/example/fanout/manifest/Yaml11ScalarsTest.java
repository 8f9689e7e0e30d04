package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Yaml11ScalarsTest {
  @ParameterizedTest
  @ValueSource(strings = {"on", "On", "ON", "oN", "off", "yes", "No", "y", "N", "010", "-0777", "0b101", "0o17", "1:30", "190:20:30.15", "1_000", "0x_1F", "1e3", "1.0e3", "1.2.3", "2026-01-01", "2026-1-1 10:00:00", "<<", "="})
  void reason_shouldNameTheDifference_whenYaml11AndYaml12ReadTheScalarDifferently(String plain) {
    assertThat(Yaml11Scalars.reason(plain)).as(plain).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "False", "null", "~", "0", "10", "-3", "1.5", "0x1F", ".inf", "1.0e+3", "web", "OrderPlaced", "rate(5 minutes)", "2026-01", "cron(0 2 * * ? *)", "only"})
  void reason_shouldBeEmpty_whenBothVersionsReadTheScalarAlike(String plain) {
    assertThat(Yaml11Scalars.reason(plain)).as(plain).isEmpty();
  }

  @Test
  void check_shouldIgnoreQuotedScalars_andReportKeysAndValuesWithTheirLine() {
    String text = """
        a: "on"
        'off': 1
        list:
          - y
          - { n: 2 }
        """;

    assertThat(Yaml11Scalars.check("f.yaml", text)).extracting(ManifestProblem::toString).containsExactly(
        "f.yaml:4: value y is a boolean in YAML 1.1 (Terraform's yamldecode) but a string in YAML 1.2: quote it (\"y\")",
        "f.yaml:5: key n is a boolean in YAML 1.1 (Terraform's yamldecode) but a string in YAML 1.2: quote it (\"n\")");
  }
}
