package com.example.reporting.handler;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.reporting.domain.LedgerData;
import com.example.reporting.domain.OrderLedger;
import com.example.reporting.dynamodb.DynamoDbLedgerStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every order event -> the order's ledger entry (stale events ignored). Consumer {@code order-ledger}. */
public final class OrderLedgerHandler extends EventConsumer {
  /** The manifest's {@code on} list. */
  static final List<String> EVENT_TYPES = List.of("OrderPlaced", "InventoryReserved", "OutOfStock",
      "PaymentAuthorized", "PaymentFailed", "OrderShipped", "NotificationSent");
  private static final Logger LOG = LoggerFactory.getLogger(OrderLedgerHandler.class);

  public OrderLedgerHandler() {
    this(ConsumerRuntime.fromEnvironment(),
        new OrderLedger(new DynamoDbLedgerStore(AwsClients.fromEnvironment().dynamoDb(), FunctionEnvironment.table("ledger")), Clock.systemUTC()));
  }

  public OrderLedgerHandler(ConsumerRuntime runtime, OrderLedger ledger) {
    super(runtime, handlers -> {
      for (String type : EVENT_TYPES) {
        handlers.on(type, LedgerData.class, (event, data, ctx) -> {
          if (!ledger.record(event.id(), event.type(), event.occurredAt(), data)) {
            LOG.info("{} {} is older than what the ledger holds for {}: progress unchanged", event.type(), event.id(), data.orderId());
          }
        });
      }
    });
  }

  /**
   * Every call the handlers make goes to its ledger table through the function's AWS clients, so
   * SnapStart priming runs the catalog's samples through them.
   */
  @Override
  protected boolean primesHandlers() {
    return true;
  }
}
