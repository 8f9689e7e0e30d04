package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.example.fanout.testing.Repo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionPackagesTest {
  private final Catalog catalog = Catalog.load(Repo.services());

  @Test
  void of_shouldLeaveOutOfEachFunctionsZipTheOptionalClientsItNeverCalls() {
    FunctionPackages orders = FunctionPackages.of(catalog, catalog.service("orders").orElseThrow());

    assertThat(orders.zipOf()).containsExactly(
        entry("status-projection", "orders-function-without-s3.zip"), // consumes and publishes
        entry("api", "orders-function-without-eventbridge-s3-sqs.zip"), // writes the outbox: DynamoDB alone
        entry("outbox-relay", "orders-function-without-s3.zip"), // publishes
        entry("imports", "orders-function-without-eventbridge-sqs.zip")); // S3 and DynamoDB
    assertThat(orders.zips()).containsExactly("orders-function-without-s3.zip", "orders-function-without-eventbridge-sqs.zip",
        "orders-function-without-eventbridge-s3-sqs.zip");
    assertThat(orders.functionsIn("orders-function-without-s3.zip")).containsExactly("status-projection", "outbox-relay");
    assertThat(orders.leftOutOf("orders-function-without-eventbridge-sqs.zip")).containsExactly("eventbridge", "sqs");
  }

  @Test
  void of_shouldKeepS3ForTheFunctionItGrantsABucket_evenWithoutABucketTrigger() {
    FunctionPackages reporting = FunctionPackages.of(catalog, catalog.service("reporting").orElseThrow());

    assertThat(reporting.functionsIn("reporting-function-without-eventbridge-sqs.zip")).containsExactly("daily-report");
    assertThat(reporting.functionsIn("reporting-function-without-s3.zip")).containsExactly("order-ledger", "saga-watchdog");
  }

  @Test
  void of_shouldBuildOneZipWithEveryClient_whenEveryFunctionConsumesAndNoneCallsS3() {
    FunctionPackages inventory = FunctionPackages.of(catalog, catalog.service("inventory").orElseThrow());

    assertThat(inventory.zips()).containsExactly("inventory-function.zip");
    assertThat(inventory.leftOutOf("inventory-function.zip")).isEmpty();
  }

  @Test
  void of_shouldGiveTheFullZipToAConsumerOfAClaimCheckedType_andTheOtherToItsNeighbour() {
    String yaml = """
        service: media
        source: com.example.media
        description: t
        owner: t
        publishes:
          - { type: MediaUploaded, version: 1, schema: schemas/MediaUploaded.v1.json, claim_check: true }
        consumers:
          - name: thumbnails
            handler: com.example.media.Thumbnails
            "on": [MediaUploaded]
            batch: { size: 1 }
            function: { memory_mb: 512, timeout_seconds: 10, reserved_concurrency: 2 }
            queue: { visibility_timeout_seconds: 60, max_receive_count: 3 }
          - name: order-counter
            handler: com.example.media.OrderCounter
            "on": [OrderPlaced]
            batch: { size: 1 }
            function: { memory_mb: 512, timeout_seconds: 10, reserved_concurrency: 2 }
            queue: { visibility_timeout_seconds: 60, max_receive_count: 3 }
        """;
    List<ServiceManifest> services = new ArrayList<>(catalog.services());
    services.add(ManifestLoader.parse("media.yaml", yaml, null));
    Catalog withMedia = Catalog.of(services);

    FunctionPackages media = FunctionPackages.of(withMedia, withMedia.service("media").orElseThrow());

    assertThat(media.zipOf()).containsExactly(
        entry("thumbnails", "media-function.zip"), entry("order-counter", "media-function-without-s3.zip"));
    assertThatThrownBy(() -> media.leftOutOf("media-function-without-eventbridge-sqs.zip"))
        .hasMessage("no function of media runs from media-function-without-eventbridge-sqs.zip");
  }
}
