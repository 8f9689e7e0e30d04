package com.example.inventory.handler;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.runtime.AwsClients;
import com.example.inventory.domain.PaymentAuthorized;
import com.example.inventory.domain.PaymentFailed;
import com.example.inventory.domain.StockReservations;

/**
 * Ends an order's hold on its stock. Consumer {@code release-stock}:
 * PaymentFailed -> stock given back -> InventoryReleased (the saga's compensation);
 * PaymentAuthorized -> the stock stays taken and the order's id leaves the stock items (emits nothing).
 */
public final class ReleaseStockHandler extends EventConsumer {
  public ReleaseStockHandler() {
    this(ConsumerRuntime.fromEnvironment(), ReserveStockHandler.stockReservations(AwsClients.fromEnvironment().dynamoDb()));
  }

  public ReleaseStockHandler(ConsumerRuntime runtime, StockReservations reservations) {
    super(runtime, handlers -> handlers
        .on("PaymentFailed", PaymentFailed.class, (event, failed, ctx) -> ctx.emit("InventoryReleased", reservations.release(failed)))
        .on("PaymentAuthorized", PaymentAuthorized.class, (event, authorized, ctx) -> reservations.settle(authorized)));
  }

  /**
   * Every call the handlers make goes to its stock and reservation tables through the function's AWS
   * clients, so SnapStart priming runs the catalog's samples through them.
   */
  @Override
  protected boolean primesHandlers() {
    return true;
  }
}
