package com.example.fanout.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.manifest.Catalog;
import com.example.fanout.testing.Repo;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class TopologyDiagramTest {
  private final String rendered = TopologyDiagram.render(Catalog.load(Repo.services()));

  @Test
  void committedDiagram_shouldMatchTheManifests_whenRegenerated() throws Exception {
    assertThat(Files.readString(Repo.root().resolve("docs/topology.md")))
        .as("docs/topology.md is stale: run `make diagrams`").isEqualTo(rendered);
  }

  @Test
  void render_shouldDrawOneEdgePerSubscription_withTheTypesItCarries() {
    assertThat(rendered)
        .contains("topic_inventory -->|OutOfStock| q_notifications_notify_customer")
        .contains("topic_orders -->|OrderPlaced| q_inventory_reserve_stock")
        .contains("bus -->|source = com.example.payments| topic_payments");
  }
}
