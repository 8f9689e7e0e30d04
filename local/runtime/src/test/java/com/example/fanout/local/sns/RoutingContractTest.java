package com.example.fanout.local.sns;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.servers.RepoPaths;
import com.example.fanout.manifest.Catalog;
import com.example.fanout.manifest.Catalog.Subscriber;
import com.example.fanout.manifest.Catalog.Subscription;
import com.example.fanout.manifest.ServiceManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The routing contract of the whole catalog: every valid schema sample of every event type, sent as
 * the EventBridge event its publisher's rule forwards to the publisher's topic, against every
 * consumer's subscription to that topic (the merged filter policy Terraform creates). What is
 * delivered must equal {@code services/routing-contract.tsv}, so a filter or {@code on} edit that
 * drops or admits an event type fails here, naming consumer, type and sample. After an intended
 * change, rewrite the file with {@code -Dfanout.routing.write=true} and review its diff.
 */
class RoutingContractTest {
  static final String CONTRACT = "services/routing-contract.tsv";
  private static final java.util.regex.Pattern SUBSCRIPTION_ADDRESS = java.util.regex.Pattern.compile(
      ".*module\\.service\\[\"([^\"]+)\"]\\.module\\.consumer\\[\"([^\"]+)\"]\\.aws_sns_topic_subscription\\.this\\[\"([^\"]+)\"]$");
  private static final String HEADER = "# consumer\tevent type\tsample (delivered; every other pair is filtered out)";

  @Test
  void everyConsumer_shouldReceiveExactlyTheSamplesOfTheContract_whenEverySampleOfTheCatalogIsPublished() throws IOException {
    Path root = RepoPaths.root();
    Catalog catalog = Catalog.load(root.resolve("services"));
    TreeSet<String> delivered = deliveries(catalog, root);
    Path contract = root.resolve(CONTRACT);

    if (Boolean.getBoolean("fanout.routing.write")) {
      Files.writeString(contract, HEADER + "\n" + String.join("\n", delivered) + "\n", StandardCharsets.UTF_8);
    }
    TreeSet<String> expected = new TreeSet<>(Files.readAllLines(contract, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#")).toList());

    List<String> differences = new ArrayList<>();
    delivered.stream().filter(d -> !expected.contains(d)).forEach(d -> differences.add("admitted, not in the contract: " + d));
    expected.stream().filter(e -> !delivered.contains(e)).forEach(e -> differences.add("dropped, the contract delivers it: " + e));
    assertThat(differences).as("routing differs from %s (consumer, event type, sample)", CONTRACT).isEmpty();
  }

  @Test
  void everyEventTypeAConsumerListensTo_shouldDeliverAtLeastOneValidSample() throws IOException {
    Path root = RepoPaths.root();
    Catalog catalog = Catalog.load(root.resolve("services"));
    TreeSet<String> delivered = deliveries(catalog, root);

    List<String> silent = new ArrayList<>();
    for (Subscriber s : catalog.subscribers()) {
      for (String type : s.consumer().on()) {
        if (delivered.stream().noneMatch(d -> d.startsWith(s.qualifiedName() + "\t" + type + "\t"))) {
          silent.add(s.qualifiedName() + " listens to " + type + " but its filter lets no valid sample through");
        }
      }
    }
    assertThat(silent).isEmpty();
  }

  @Test
  void terraformSubscriptions_shouldCarryTheCatalogsPolicies_whenTheTerraformPlanHasBeenBuilt() throws IOException {
    Path root = RepoPaths.root();
    List<Path> plans = Stream.of("dev", "prod").map(env -> root.resolve("target/terraform/envs/" + env + "/plan.json"))
        .filter(Files::isRegularFile).toList();
    org.junit.jupiter.api.Assumptions.assumeFalse(plans.isEmpty(), "no Terraform plan JSON yet (make tf-json writes it)");
    Map<String, JsonNode> expected = catalogPolicies(Catalog.load(root.resolve("services")));
    for (Path plan : plans) {
      assertThat(terraformPolicies(EventJson.parse(Files.readString(plan)))).as("filter policies in %s", plan)
          .containsExactlyInAnyOrderEntriesOf(expected);
    }
  }

  @Test
  void terraformPolicies_shouldReadEverySubscriptionOfAPlan_byServiceConsumerAndPublisher() throws IOException {
    JsonNode plan = EventJson.parse(Files.readString(Path.of("src/test/resources/terraform/plan-subscriptions.json")));

    assertThat(terraformPolicies(plan)).containsExactly(Map.entry("audit-orders <- shop",
        EventJson.parse("{\"detail-type\":[\"OrderPlaced\"],\"detail\":{\"data\":{\"channel\":[\"web\"]}}}")));
  }

  /** {@code <service>-<consumer> <- <publisher>} to the merged policy, as the catalog builds them. */
  static Map<String, JsonNode> catalogPolicies(Catalog catalog) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Subscriber s : catalog.subscribers()) {
      for (Subscription sub : catalog.subscriptionsOf(s)) {
        out.put(s.qualifiedName() + " <- " + sub.publisher().service(), sub.filterPolicy());
      }
    }
    return out;
  }

  /** The same, from the {@code aws_sns_topic_subscription} resources of a {@code terraform show -json} plan or state. */
  static Map<String, JsonNode> terraformPolicies(JsonNode planOrState) {
    JsonNode rootModule = planOrState.has("planned_values") ? planOrState.path("planned_values").path("root_module")
        : planOrState.path("values").path("root_module");
    Map<String, JsonNode> out = new TreeMap<>();
    collect(rootModule, out);
    return out;
  }

  private static void collect(JsonNode module, Map<String, JsonNode> out) {
    for (JsonNode r : module.path("resources")) {
      var m = SUBSCRIPTION_ADDRESS.matcher(r.path("address").asText());
      if ("aws_sns_topic_subscription".equals(r.path("type").asText()) && m.matches()) {
        out.put(m.group(1) + "-" + m.group(2) + " <- " + m.group(3), EventJson.parse(r.path("values").path("filter_policy").asText()));
      }
    }
    module.path("child_modules").forEach(child -> collect(child, out));
  }

  /** {@code consumer TAB type TAB sample} for every delivery, through one filter-policy matcher per topic as SNS holds them. */
  static TreeSet<String> deliveries(Catalog catalog, Path root) throws IOException {
    Map<String, FilterPolicyMatcher> topics = new TreeMap<>();
    for (Subscriber s : catalog.subscribers()) {
      for (Subscription sub : catalog.subscriptionsOf(s)) {
        topics.computeIfAbsent(sub.publisher().service(), k -> new FilterPolicyMatcher()).add(s.qualifiedName(), sub.filterPolicy());
      }
    }
    TreeSet<String> delivered = new TreeSet<>();
    for (ServiceManifest publisher : catalog.services()) {
      FilterPolicyMatcher topic = topics.get(publisher.service());
      for (ServiceManifest.Publication publication : publisher.publishes()) {
        for (Path sample : validSamples(publisher.directory(), publication.type())) {
          JsonNode event = eventBridgeEvent(publisher, EventJson.parse(Files.readString(sample)));
          String sampleName = root.relativize(sample).toString();
          List<String> consumers = topic == null ? List.of() : topic.matches(event);
          consumers.forEach(c -> delivered.add(c + "\t" + publication.type() + "\t" + sampleName));
        }
      }
    }
    return delivered;
  }

  private static List<Path> validSamples(Path serviceDir, String type) throws IOException {
    Path samples = serviceDir.resolve("schemas/samples");
    if (!Files.isDirectory(samples)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(samples)) {
      List<Path> out = new ArrayList<>();
      for (Path version : versions.filter(d -> d.getFileName().toString().startsWith(type + ".v")).sorted().toList()) {
        try (Stream<Path> files = Files.list(version)) {
          files.filter(f -> f.getFileName().toString().matches("valid-.*\\.json")).sorted().forEach(out::add);
        }
      }
      return out;
    }
  }

  /** The event as EventBridge forwards it to the topic: the envelope is {@code detail}. */
  private static JsonNode eventBridgeEvent(ServiceManifest publisher, JsonNode envelope) {
    ObjectNode event = EventJson.mapper().createObjectNode();
    event.put("version", "0");
    event.put("id", "00000000-0000-0000-0000-000000000000");
    event.put("detail-type", envelope.path("type").asText());
    event.put("source", publisher.source());
    event.put("account", "000000000000");
    event.put("time", envelope.path("occurredAt").asText());
    event.put("region", "us-east-1");
    event.putArray("resources");
    event.set("detail", envelope);
    return event;
  }
}
