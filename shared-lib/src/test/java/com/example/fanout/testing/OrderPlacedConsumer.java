package com.example.fanout.testing;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.consumer.EventHandler;
import com.example.fanout.consumer.HandlerContext;
import java.util.List;
import java.util.Map;

/** A consumer shaped like a reference service's handler, with its behaviour given by the test. */
public final class OrderPlacedConsumer extends EventConsumer {
  public record Item(String sku, int quantity, long unitPriceCents) {}

  public record OrderPlaced(String orderId, String customerId, String customerEmail, String channel,
      List<Item> items, long totalCents, String currency, String paymentToken) {}

  public OrderPlacedConsumer(ConsumerRuntime runtime, EventHandler<OrderPlaced> handler) {
    super(runtime, handlers -> handlers.on("OrderPlaced", OrderPlaced.class, handler));
  }

  /** What reserve-stock emits: InventoryReserved for the whole order. */
  public static void reserve(OrderPlaced order, HandlerContext ctx) {
    ctx.emit("InventoryReserved", reserved(order));
  }

  /** The data of the InventoryReserved that {@link #reserve} emits. */
  public static Map<String, Object> reserved(OrderPlaced order) {
    return Map.of(
        "orderId", order.orderId(),
        "reservationId", "res_" + order.orderId(),
        "customerId", order.customerId(),
        "customerEmail", order.customerEmail(),
        "items", order.items().stream().map(i -> Map.of("sku", i.sku(), "quantity", i.quantity())).toList(),
        "amountCents", order.totalCents(),
        "currency", order.currency(),
        "paymentToken", order.paymentToken());
  }
}
