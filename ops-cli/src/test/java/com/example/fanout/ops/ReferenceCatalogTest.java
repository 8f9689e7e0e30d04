package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.LocalPlatform;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The commands against the platform's own manifests (services/): the names the runbooks and the
 * README use (inventory-reserve-stock, the orders OrderPlaced schema). No handler is on this class
 * path, so every consumer's queue keeps what reaches it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceCatalogTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private LocalPlatform platform;
  private Map<String, String> env;

  @BeforeAll
  void start() throws Exception {
    Path data = Files.createDirectories(Path.of("target", "reference-" + UUID.randomUUID())).toAbsolutePath();
    platform = LocalPlatform.builder().servicesDir(REPO.resolve("services")).env("ref").dataDir(data)
        .repoRoot(REPO).exportSdkProperties(false).build();
    env = new HashMap<>(platform.start().cliEnvironment());
    env.put("ENV", "ref");
    env.put("FANOUT_SERVICES_DIR", REPO.resolve("services").toString());
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  record Run(int code, String out) {}

  private Run fanout(String... args) {
    StringWriter out = new StringWriter();
    int code = Fanout.run(args, new PrintWriter(out, true), new PrintWriter(out, true), env);
    return new Run(code, out.toString());
  }

  @Test
  void publishedOrder_shouldReachTheInventoryQueue_andShowOnItsTimeline() throws Exception {
    Path sample = REPO.resolve("services/orders/schemas/samples/OrderPlaced.v1/valid-basic.json");
    Path data = Files.createTempFile("order-placed", ".json");
    Files.writeString(data, EventJson.write(EventJson.parse(Files.readString(sample)).get("data")));
    String orderId = "ord_" + UUID.randomUUID().toString().substring(0, 8);

    Run published = fanout("publish", "OrderPlaced", "--data", data.toString(), "--correlation-id", orderId);
    assertThat(published.code()).as(published.out()).isZero();
    assertThat(published.out()).contains("source=com.example.orders");

    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    Run queues;
    do {
      queues = fanout("queues", "--service", "inventory");
      Thread.sleep(200);
    } while (!queues.out().matches("(?s).*ref-inventory-reserve-stock\\s+1\\s.*") && Instant.now().isBefore(deadline));
    assertThat(queues.code()).as(queues.out()).isZero();
    assertThat(queues.out()).containsPattern("ref-inventory-reserve-stock\\s+1\\s+0\\s+0")
        .contains("ref-inventory-release-stock").contains("ref-inventory-events-rule-dlq");

    Run timeline = fanout("timeline", orderId);
    assertThat(timeline.out()).contains("delivered to queue").contains("ref-inventory-reserve-stock");

    Run inspect = fanout("dlq", "inspect", "inventory-reserve-stock");
    assertThat(inspect.code()).isZero();
    assertThat(inspect.out()).contains("ref-inventory-reserve-stock-dlq: 0 message(s)");
    assertThat(fanout("dlq", "redrive", "inventory-reserve-stock").out()).contains("is empty: nothing to redrive");
  }

  @Test
  void queues_shouldListEveryConsumerAndPublisherOfTheCatalog() {
    Run r = fanout("queues");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("ref-payments-authorize-payment", "ref-fulfillment-ship-order",
        "ref-notifications-notify-customer", "ref-orders-status-projection", "ref-reporting-order-ledger",
        "ref-orders-events-rule-dlq");
  }

  @Test
  void token_shouldPrintATokenTheHttpApiAccepts_andRefuseABadLifetime() {
    Run run = fanout("token", "--sub", "cus_42", "--scope", "orders/read", "--ttl", "600");

    assertThat(run.code()).isZero();
    var issuer = platform.issuer();
    var authorizer = new com.example.fanout.local.auth.JwtAuthorizer(issuer.issuer(), issuer.audience(), issuer.jwksUri());
    assertThat(authorizer.authorize("Bearer " + run.out().strip(), java.util.List.of("orders/read")))
        .isInstanceOfSatisfying(com.example.fanout.local.auth.JwtAuthorizer.Allowed.class,
            allowed -> assertThat(allowed.claims()).containsEntry("sub", "cus_42"));
    assertThat(authorizer.authorize("Bearer " + run.out().strip(), java.util.List.of("orders/write")))
        .isInstanceOf(com.example.fanout.local.auth.JwtAuthorizer.Denied.class);

    Run json = fanout("token", "--sub", "cus_42", "--scope", "orders/read", "--ttl", "600", "-o", "json");
    assertThat(json.code()).isZero();
    com.fasterxml.jackson.databind.JsonNode answer = com.example.fanout.event.EventJson.parse(json.out());
    assertThat(authorizer.authorize("Bearer " + answer.path("access_token").asText(), java.util.List.of("orders/read")))
        .isInstanceOf(com.example.fanout.local.auth.JwtAuthorizer.Allowed.class);

    Run tooLong = fanout("token", "--sub", "cus_42", "--scope", "orders/read", "--ttl", "999999");
    assertThat(tooLong.code()).isEqualTo(Fanout.REFUSED);
    assertThat(tooLong.out()).contains("--ttl must be 1..86400");
  }
}
