package com.example.fulfillment.handler;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.fulfillment.domain.PaymentAuthorized;
import com.example.fulfillment.domain.Shipping;
import com.example.fulfillment.dynamodb.DynamoDbShipmentStore;
import java.time.Clock;

/** PaymentAuthorized -> shipment (once per order) -> OrderShipped. Consumer {@code ship-order}. */
public final class ShipOrderHandler extends EventConsumer {
  public ShipOrderHandler() {
    this(ConsumerRuntime.fromEnvironment(), new Shipping(
        new DynamoDbShipmentStore(AwsClients.fromEnvironment().dynamoDb(), FunctionEnvironment.table("shipments")), Clock.systemUTC()));
  }

  public ShipOrderHandler(ConsumerRuntime runtime, Shipping shipping) {
    super(runtime, handlers -> handlers
        .on("PaymentAuthorized", PaymentAuthorized.class, (event, paid, ctx) -> ctx.emit("OrderShipped", shipping.ship(paid))));
  }

  /**
   * Every call the handlers make goes to its shipment table through the function's AWS clients, so
   * SnapStart priming runs the catalog's samples through them.
   */
  @Override
  protected boolean primesHandlers() {
    return true;
  }
}
