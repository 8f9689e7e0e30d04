package com.example.fanout.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code fanout catalog} over the platform's own manifests: no AWS call. */
class CatalogCommandTest {
  private static final String SERVICES = Path.of("../services").toAbsolutePath().normalize().toString();

  private record Run(int code, String out, String err) {}

  private static Run fanout(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Fanout.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("FANOUT_SERVICES_DIR", SERVICES));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void catalog_shouldListEveryEventWithItsProducerSchemaAndConsumers_andEachConsumersFilter() {
    Run r = fanout("catalog");

    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("OrderPlaced +1 +orders +orders/schemas/OrderPlaced\\.v1\\.json +.*inventory-reserve-stock")
        .containsPattern("inventory-reserve-stock +from orders +\\{.*\"detail-type\":\\[\"OrderPlaced\"\\]");
  }

  @Test
  void catalogJson_shouldCarryTheSameFacts_asOneDocument() {
    JsonNode view = EventJson.parse(fanout("catalog", "--output", "json").out());

    JsonNode placed = find(view.get("events"), "type", "OrderPlaced");
    assertThat(placed.get("producer").asText()).isEqualTo("orders");
    assertThat(placed.get("source").asText()).isEqualTo("com.example.orders");
    List<String> consumers = new ArrayList<>();
    placed.get("consumers").forEach(c -> consumers.add(c.asText()));
    assertThat(consumers).contains("inventory-reserve-stock", "orders-status-projection");
    JsonNode reserve = find(view.get("consumers"), "consumer", "inventory-reserve-stock");
    assertThat(reserve.get("filters").get(0).get("topicOf").asText()).isEqualTo("orders");
    assertThat(reserve.get("filters").get(0).get("filterPolicy").toString()).contains("OrderPlaced");
  }

  @Test
  void catalog_shouldNarrowToOneEvent_andRefuseAnUnknownOne() {
    JsonNode view = EventJson.parse(fanout("catalog", "--event", "PaymentFailed", "-o", "json").out());
    assertThat(view.get("events")).hasSize(1);
    view.get("consumers").forEach(c -> assertThat(c.get("on").toString()).contains("PaymentFailed"));

    Run unknown = fanout("catalog", "--event", "NoSuchEvent");
    assertThat(unknown.code()).isEqualTo(Fanout.REFUSED);
    assertThat(unknown.err()).contains("no service publishes NoSuchEvent");
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.path(field).asText())) {
        return n;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }
}
