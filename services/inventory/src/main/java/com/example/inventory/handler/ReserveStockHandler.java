package com.example.inventory.handler;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.inventory.domain.OrderPlaced;
import com.example.inventory.domain.ReservationOutcome;
import com.example.inventory.domain.StockReservations;
import com.example.inventory.dynamodb.DynamoDbReservationStore;
import com.example.inventory.dynamodb.DynamoDbStockLedger;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** OrderPlaced -> InventoryReserved, or OutOfStock with nothing held. Consumer {@code reserve-stock}. */
public final class ReserveStockHandler extends EventConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(ReserveStockHandler.class);

  public ReserveStockHandler() {
    this(ConsumerRuntime.fromEnvironment(), stockReservations(AwsClients.fromEnvironment().dynamoDb()));
  }

  public ReserveStockHandler(ConsumerRuntime runtime, StockReservations reservations) {
    super(runtime, handlers -> handlers.on("OrderPlaced", OrderPlaced.class, (event, order, ctx) -> {
      switch (reservations.reserve(order)) {
        case ReservationOutcome.Reserved r -> ctx.emit("InventoryReserved", r.event());
        case ReservationOutcome.Rejected r -> ctx.emit("OutOfStock", r.event());
        case ReservationOutcome.AlreadyReleased r ->
            LOG.info("order {} was already released after a failed payment; OrderPlaced {} ignored", r.orderId(), event.id());
      }
    }));
  }

  /** The domain service on the function's tables ({@code TABLE_STOCK}, {@code TABLE_RESERVATIONS}). */
  static StockReservations stockReservations(DynamoDbClient dynamo) {
    return new StockReservations(
        new DynamoDbStockLedger(dynamo, FunctionEnvironment.table("stock")),
        new DynamoDbReservationStore(dynamo, FunctionEnvironment.table("reservations")),
        Clock.systemUTC());
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
