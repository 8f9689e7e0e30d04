package com.example.fanout.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private final Envelope placed = Envelope.first("OrderPlaced", 1, "com.example.orders", "ord_7Hq2mX9pLk", Map.of("orderId", "ord_7Hq2mX9pLk"), NOW);

  @Test
  void causedBy_shouldGiveTheSameId_whenTheSameCauseAndTypeArePublishedAgain() {
    Envelope first = Envelope.causedBy(placed, "InventoryReserved", 1, "com.example.inventory", Map.of("a", 1), NOW);
    Envelope afterCrash = Envelope.causedBy(placed, "InventoryReserved", 1, "com.example.inventory", Map.of("a", 1), NOW.plusSeconds(30));

    assertThat(afterCrash.id()).isEqualTo(first.id());
    assertThat(first.causationId()).isEqualTo(placed.id());
    assertThat(first.correlationId()).isEqualTo(placed.correlationId());
  }

  @Test
  void causedBy_shouldGiveDifferentIds_whenTypeOrKeyOrCauseDiffers() {
    Envelope reserved = Envelope.causedBy(placed, "InventoryReserved", 1, "com.example.inventory", Map.of(), NOW);
    Envelope outOfStock = Envelope.causedBy(placed, "OutOfStock", 1, "com.example.inventory", Map.of(), NOW);
    Envelope line1 = Envelope.causedBy(placed, "InventoryReserved", 1, "com.example.inventory", "line-1", Map.of(), NOW);
    Envelope otherCause = Envelope.causedBy(
        Envelope.first("OrderPlaced", 1, "com.example.orders", "ord_other0001", Map.of(), NOW),
        "InventoryReserved", 1, "com.example.inventory", Map.of(), NOW);

    assertThat(java.util.Set.of(reserved.id(), outOfStock.id(), line1.id(), otherCause.id())).hasSize(4);
  }

  @Test
  void derivedIds_shouldNotCollide_whenPartsShiftBetweenFields() {
    assertThat(EventIds.derived("ab", "C", "")).isNotEqualTo(EventIds.derived("a", "bC", ""));
  }

  @Test
  void json_shouldRoundTrip_whenWrittenAsDetailAndReadBack() {
    String json = EventJson.writeEnvelope(placed);

    Envelope read = EventJson.readEnvelope(json);

    assertThat(read).isEqualTo(placed);
    assertThat(EventJson.parse(json).get("causationId").isNull()).isTrue();
  }

  @Test
  void data_shouldStayUnchanged_whenTheCallerMutatesWhatItGotBack() {
    ((ObjectNode) placed.data()).put("orderId", "tampered");

    assertThat(placed.data().get("orderId").asText()).isEqualTo("ord_7Hq2mX9pLk");
  }

  @Test
  void readData_shouldReadThePayloadInPlace_whereDataHandsOutACopy() {
    JsonNode inPlace = placed.<JsonNode>readData(d -> d);
    assertThat((Object) inPlace).as("the same node each time: no copy").isSameAs(placed.<JsonNode>readData(d -> d));
    assertThat((Object) placed.data()).isNotSameAs(placed.data()).isEqualTo(inPlace);
    assertThat(placed.<String>readData(d -> d.get("orderId").asText())).isEqualTo("ord_7Hq2mX9pLk");
  }

  @Test
  void readEnvelope_shouldNameTheField_whenTheEnvelopeIsMalformed() {
    assertThatThrownBy(() -> EventJson.readEnvelope("{\"id\":\"e1\",\"type\":\"OrderPlaced\",\"version\":1}"))
        .isInstanceOf(InvalidEnvelopeException.class).hasMessageContaining("source is required");
    assertThatThrownBy(() -> EventJson.readEnvelope("not json"))
        .isInstanceOf(InvalidEnvelopeException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> new Envelope("e1", "order_placed", 1, "com.example.orders", NOW, "c", null, EventJson.tree(Map.of())))
        .isInstanceOf(InvalidEnvelopeException.class).hasMessageContaining("PascalCase");
    assertThatThrownBy(() -> EventJson.readEnvelope(EventJson.writeEnvelope(placed).replace("2026-11-26T10:00:00Z", "yesterday")))
        .isInstanceOf(InvalidEnvelopeException.class).hasMessageContaining("occurredAt");
  }
}
