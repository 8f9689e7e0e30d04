package com.example.fanout.benchmarks;

import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.Ruler;

/**
 * Routing one event against the platform's subscriptions, the way the local runtime's SNS stand-in
 * does it: every subscription filter policy of the reference catalog, padded to 50 with variants
 * that filter on data fields. Baseline: asking Event Ruler rule by rule ({@code Ruler.matchesRule});
 * measured: one compiled {@code Machine} asked once with the parsed event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingBenchmark {
  static final int RULES = 50;

  private final List<String> policies = new ArrayList<>();
  private Machine machine;
  private String eventJson;
  private JsonNode event;

  @Setup
  public void setUp() throws Exception {
    Catalog catalog = Catalog.fromClasspath();
    catalog.subscribers().forEach(s -> catalog.subscriptionsOf(s).forEach(sub -> policies.add(EventJson.write(sub.filterPolicy()))));
    for (int i = 0; policies.size() < RULES; i++) {
      policies.add("{\"detail-type\":[\"OrderPlaced\"],\"detail\":{\"data\":{\"channel\":[\"channel-" + i + "\"],"
          + "\"totalCents\":[{\"numeric\":[\">\"," + i * 100 + "]}]}}}");
    }
    machine = Machine.builder().build();
    for (int i = 0; i < policies.size(); i++) {
      machine.addRule("rule-" + i, policies.get(i));
    }
    eventJson = "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":\"OrderPlaced\","
        + "\"source\":\"com.example.orders\",\"account\":\"000000000000\",\"time\":\"2026-11-26T10:00:00Z\","
        + "\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + Samples.orderPlacedDetail() + "}";
    event = EventJson.parse(eventJson);
    if (matchesPerRule() != machine.rulesForJSONEvent(event).size()) {
      throw new IllegalStateException("the two ways of routing disagree");
    }
  }

  @Benchmark
  public int baselineRuleByRule() throws Exception {
    return matchesPerRule();
  }

  @Benchmark
  public int compiledMachine() {
    return machine.rulesForJSONEvent(event).size();
  }

  private int matchesPerRule() throws Exception {
    int matched = 0;
    for (String policy : policies) {
      if (Ruler.matchesRule(eventJson, policy)) {
        matched++;
      }
    }
    return matched;
  }
}
