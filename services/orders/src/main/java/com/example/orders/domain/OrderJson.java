package com.example.orders.domain;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The public JSON of an order (the API's 201 and GET bodies). The payment token is never shown.
 */
public final class OrderJson {
  private OrderJson() {}

  public static ObjectNode render(Order order) {
    ObjectNode node = EventJson.mapper().createObjectNode();
    node.put("id", order.id());
    node.put("status", order.status().name());
    node.put("stuck", order.stuck());
    node.put("customerId", order.customerId());
    node.put("customerEmail", order.customerEmail());
    node.put("channel", order.channel());
    if (order.orderRef() != null) {
      node.put("orderRef", order.orderRef());
    }
    ArrayNode items = node.putArray("items");
    int units = 0;
    for (OrderLine line : order.items()) {
      items.addObject()
          .put("sku", line.sku())
          .put("quantity", line.quantity())
          .put("unitPriceCents", line.unitPriceCents())
          .put("lineTotalCents", line.lineTotalCents());
      units += line.quantity();
    }
    node.putObject("totals")
        .put("lines", order.items().size())
        .put("units", units)
        .put("totalCents", order.totalCents())
        .put("currency", order.currency());
    node.put("createdAt", order.createdAt().toString());
    node.put("updatedAt", order.updatedAt().toString());
    ArrayNode history = node.putArray("statusHistory");
    for (StatusChange change : order.statusHistory()) {
      history.addObject()
          .put("status", change.status())
          .put("at", change.at().toString())
          .put("eventType", change.eventType())
          .put("eventId", change.eventId());
    }
    return node;
  }

  public static String write(Order order) {
    return EventJson.write(render(order));
  }
}
