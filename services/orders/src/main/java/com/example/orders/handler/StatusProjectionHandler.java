package com.example.orders.handler;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.consumer.PoisonMessageException;
import com.example.fanout.event.Envelope;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.orders.domain.OrderStore;
import com.example.orders.domain.ProjectionOutcome;
import com.example.orders.domain.StatusProjection;
import com.example.orders.domain.events.InventoryReserved;
import com.example.orders.domain.events.OrderPlaced;
import com.example.orders.domain.events.OrderShipped;
import com.example.orders.domain.events.OutOfStock;
import com.example.orders.domain.events.PaymentAuthorized;
import com.example.orders.domain.events.PaymentFailed;
import com.example.orders.domain.events.SagaStuck;
import com.example.orders.dynamodb.DynamoDbOrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer {@code status-projection}: keeps each order's {@code status}, {@code stuck} flag and
 * status history in step with the saga's events. Stale and duplicate events change nothing (the
 * store's conditional update decides); an event about an order that does not exist is poison.
 */
public final class StatusProjectionHandler extends EventConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(StatusProjectionHandler.class);

  /** Lambda: the consumer runtime and {@code TABLE_ORDERS} from the function's environment. */
  public StatusProjectionHandler() {
    this(ConsumerRuntime.fromEnvironment(),
        new DynamoDbOrderStore(AwsClients.fromEnvironment().dynamoDb(), FunctionEnvironment.table("orders")));
  }

  /** Tests: any runtime and store. */
  public StatusProjectionHandler(ConsumerRuntime runtime, OrderStore store) {
    super(runtime, handlers -> {
      StatusProjection projection = new StatusProjection(store);
      handlers
          .on("OrderPlaced", OrderPlaced.class, (event, data, ctx) -> outcome(event, data.orderId(), projection.apply(event, data.orderId())))
          .on("InventoryReserved", InventoryReserved.class,
              (event, data, ctx) -> outcome(event, data.orderId(), projection.apply(event, data.orderId())))
          .on("OutOfStock", OutOfStock.class, (event, data, ctx) -> outcome(event, data.orderId(), projection.apply(event, data.orderId())))
          .on("PaymentAuthorized", PaymentAuthorized.class,
              (event, data, ctx) -> outcome(event, data.orderId(), projection.apply(event, data.orderId())))
          .on("PaymentFailed", PaymentFailed.class,
              (event, data, ctx) -> outcome(event, data.orderId(), projection.apply(event, data.orderId())))
          .on("OrderShipped", OrderShipped.class,
              (event, data, ctx) -> outcome(event, data.orderId(), projection.apply(event, data.orderId())))
          .on("SagaStuck", SagaStuck.class, (event, data, ctx) -> outcome(event, data.orderId(), projection.stuck(event, data)));
    });
  }

  private static void outcome(Envelope event, String orderId, ProjectionOutcome outcome) {
    switch (outcome) {
      case APPLIED -> LOG.info("order {}: {} applied", orderId, event.type());
      case IGNORED_STALE -> LOG.info("order {}: {} {} is stale or a duplicate, ignored", orderId, event.type(), event.id());
      case ORDER_NOT_FOUND -> throw new PoisonMessageException(
          event.type() + " " + event.id() + " is about order " + orderId + ", which does not exist");
    }
  }

  /**
   * Every call the handlers make goes to its orders table through the function's AWS clients, so
   * SnapStart priming runs the catalog's samples through them.
   */
  @Override
  protected boolean primesHandlers() {
    return true;
  }
}
