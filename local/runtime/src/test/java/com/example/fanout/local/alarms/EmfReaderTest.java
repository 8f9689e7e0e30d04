package com.example.fanout.local.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfReaderTest {
  record Put(String namespace, String metric, Map<String, String> dimensions, double value) {}

  private final List<Put> puts = new ArrayList<>();
  private final EmfReader reader = new EmfReader((n, m, d, v) -> puts.add(new Put(n, m, d, v)));

  @Test
  void read_shouldGiveEveryMetricOfEveryDimensionSet_whenTheLineIsAnEmfDocument() {
    int n = reader.read("""
        {"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"Fanout","Metrics":[{"Name":"SagaStuck","Unit":"Count"}],\
        "Dimensions":[["Service"]]}]},"Service":"reporting","SagaStuck":2}""");

    assertThat(n).isOne();
    assertThat(puts).containsExactly(new Put("Fanout", "SagaStuck", Map.of("Service", "reporting"), 2));
  }

  @Test
  void read_shouldTakeEachValue_whenAMetricHasSeveral() {
    reader.read("""
        {"_aws":{"CloudWatchMetrics":[{"Namespace":"Fanout","Metrics":[{"Name":"HandlerLatency"}],"Dimensions":[["consumer"]]}]},\
        "consumer":"shop.ship","HandlerLatency":[1.5,2.5]}""");

    assertThat(puts).extracting(Put::value).containsExactly(1.5, 2.5);
  }

  @Test
  void read_shouldIgnoreLogLinesAndBrokenJson() {
    assertThat(reader.read("{\"level\":\"INFO\",\"message\":\"hello\"}")).isZero();
    assertThat(reader.read("{\"_aws\": {")).isZero();
    assertThat(puts).isEmpty();
  }

  @Test
  void tee_shouldPassEverythingThrough_andReadEachCompleteLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = reader.tee(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String emf = "{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Metrics\":[{\"Name\":\"M\"}],\"Dimensions\":[[]]}]},\"M\":1}";

    out.println("a log line");
    out.print(emf.substring(0, 10));
    assertThat(puts).isEmpty();
    out.println(emf.substring(10));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("a log line" + System.lineSeparator() + emf + System.lineSeparator());
    assertThat(puts).containsExactly(new Put("N", "M", Map.of(), 1));
  }
}
