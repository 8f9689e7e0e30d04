package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.fanout.testing.Repo;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {
  private final Catalog catalog = Catalog.load(Repo.services());

  @Test
  void subscriptionsOf_shouldSplitByPublisherWithTheirTypes_whenAConsumerListensToSeveralDomains() {
    var notify = catalog.subscribers().stream().filter(s -> s.qualifiedName().equals("notifications-notify-customer")).findFirst().orElseThrow();

    var subscriptions = catalog.subscriptionsOf(notify);

    assertThat(subscriptions).extracting(s -> s.publisher().service()).containsExactly("fulfillment", "inventory", "payments");
    assertThat(subscriptions.get(1).filterPolicy()).isEqualTo(EventJson.parse("{\"detail-type\":[\"OutOfStock\"]}"));
  }

  @Test
  void subscriptionsOf_shouldMergeTheExtraFilter_whenTheConsumerDeclaresOne() {
    String yaml = """
        service: audit
        source: com.example.audit
        description: t
        owner: t
        consumers:
          - name: web-orders
            handler: com.example.audit.Handler
            "on": [OrderPlaced]
            filter: { detail: { data: { channel: [web] } } }
            batch: { size: 1 }
            function: { memory_mb: 512, timeout_seconds: 10, reserved_concurrency: 2 }
            queue: { visibility_timeout_seconds: 60, max_receive_count: 3 }
        """;
    Catalog withAudit = Catalog.of(concat(catalog.services(), ManifestLoader.parse("audit.yaml", yaml, null)));
    var audit = withAudit.subscribers().stream().filter(s -> s.service().service().equals("audit")).findFirst().orElseThrow();

    assertThat(withAudit.subscriptionsOf(audit).get(0).filterPolicy()).isEqualTo(
        EventJson.parse("{\"detail-type\":[\"OrderPlaced\"],\"detail\":{\"data\":{\"channel\":[\"web\"]}}}"));
  }

  @Test
  void of_shouldReportUnknownEventTypes_whenAConsumerListensToATypeNobodyPublishes() {
    String yaml = """
        service: audit
        source: com.example.audit
        description: t
        owner: t
        consumers:
          - name: all
            handler: com.example.audit.Handler
            "on": [OrderPlaced, OrderTeleported]
            batch: { size: 1 }
            function: { memory_mb: 512, timeout_seconds: 10, reserved_concurrency: 2 }
            queue: { visibility_timeout_seconds: 60, max_receive_count: 3 }
        """;

    assertThatThrownBy(() -> Catalog.of(concat(catalog.services(), ManifestLoader.parse("audit.yaml", yaml, null))))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("audit/service.yaml: consumers[0].on[1]: unknown event type OrderTeleported: no service publishes it");
  }

  @Test
  void of_shouldReportATypePublishedTwice_whenTwoServicesClaimIt() {
    String yaml = """
        service: rogue
        source: com.example.rogue
        description: t
        owner: t
        publishes:
          - type: OrderPlaced
            version: 1
            schema: schemas/OrderPlaced.v1.json
        """;

    assertThatThrownBy(() -> Catalog.of(concat(catalog.services(), ManifestLoader.parse("rogue.yaml", yaml, null))))
        .hasMessageContaining("publishes[0].type: event type OrderPlaced is already published by service orders");
  }

  @Test
  void fromClasspath_shouldSeeTheSameServices_whenBundledInTheJar() {
    assertThat(Catalog.fromClasspath().services()).extracting(ServiceManifest::service)
        .containsExactlyElementsOf(catalog.services().stream().map(ServiceManifest::service).toList());
    assertThat(Catalog.fromClasspath().schemaFile("OrderPlaced", 1)).isPresent();
  }

  @Test
  void slice_shouldNameTheOwnManifestAndSchemas_andPerReceivedTypeItsPublishersManifestAndSchema() {
    List<String> slice = catalog.slice("inventory");

    assertThat(slice).contains("inventory/service.yaml", "inventory/schemas/InventoryReserved.v1.json",
        "orders/service.yaml", "orders/schemas/OrderPlaced.v1.json", "orders/schemas/samples/OrderPlaced.v1/valid-basic.json");
    assertThat(slice).as("only the samples of the published and received types").filteredOn(f -> f.contains("/samples/"))
        .containsExactlyInAnyOrder("orders/schemas/samples/OrderPlaced.v1/valid-basic.json",
            "payments/schemas/samples/PaymentFailed.v1/valid-basic.json",
            "payments/schemas/samples/PaymentAuthorized.v1/valid-basic.json",
            "inventory/schemas/samples/InventoryReserved.v1/valid-basic.json",
            "inventory/schemas/samples/OutOfStock.v1/valid-basic.json",
            "inventory/schemas/samples/InventoryReleased.v1/valid-basic.json");
    assertThat(slice).noneMatch(f -> f.startsWith("notifications/") || f.startsWith("reporting/"));
    for (String type : catalog.publisherOf("OrderPlaced").orElseThrow().publishes().stream().map(p -> p.type()).toList()) {
      boolean received = catalog.requireService("inventory").consumers().stream().anyMatch(c -> c.on().contains(type));
      assertThat(slice.contains("orders/schemas/" + type + ".v1.json")).as(type).isEqualTo(received);
    }
  }

  @Test
  void loadSlice_shouldCheckOnlyItsServicesConsumers_whileTheSameFilesAreNoWholeCatalog(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    com.example.fanout.testing.CatalogSliceWriter.write(Repo.services(), "inventory", tmp);
    tmp = tmp.resolve(Catalog.SLICE_ROOT).resolve("inventory");

    Catalog slice = Catalog.loadSlice(tmp, "inventory");

    assertThat(slice.sliceOf()).contains("inventory");
    assertThat(slice.schemaFile("OrderPlaced", 1)).isPresent();
    assertThat(slice.publication("NotificationSent")).isEmpty();
    assertThat(slice.sample("OrderPlaced")).as("the sample priming runs")
        .contains(java.nio.file.Files.readString(
            Repo.services().resolve("orders/schemas/samples/OrderPlaced.v1/valid-basic.json")));
    assertThat(slice.sample("InventoryReserved")).as("published").isPresent();
    assertThat(slice.sample("NotificationSent")).as("neither published nor received: no sample in the slice").isEmpty();
    assertThatThrownBy(() -> slice.requireSample("NotificationSent")).hasMessage("no NotificationSent sample in the function's catalog slice");
    assertThat(slice.requireService("inventory")).as("read from the JSON the build wrote")
        .isEqualTo(catalog.requireService("inventory").withDirectory(slice.requireService("inventory").directory()));
    java.nio.file.Path root = tmp;
    assertThat(root.resolve("inventory/service.yaml")).as("no YAML in a slice").doesNotExist();
    java.nio.file.Files.copy(Repo.services().resolve("orders/service.yaml"), root.resolve("orders/service.yaml"));
    assertThatThrownBy(() -> Catalog.load(root)).as("a slice is no whole catalog").isInstanceOf(InvalidManifestException.class);
    assertThatThrownBy(() -> Catalog.loadSlice(root, "notifications")).hasMessageContaining("no service named 'notifications'");
    java.nio.file.Files.delete(root.resolve("orders/service.json"));
    assertThatThrownBy(() -> Catalog.loadSlice(root, "inventory")).hasMessageContaining("unknown event type OrderPlaced");
  }

  private static List<ServiceManifest> concat(List<ServiceManifest> a, ServiceManifest b) {
    var out = new java.util.ArrayList<>(a);
    out.add(b);
    return out;
  }
}
