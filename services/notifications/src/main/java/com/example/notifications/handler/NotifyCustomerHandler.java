package com.example.notifications.handler;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.consumer.PoisonMessageException;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.notifications.domain.CustomerNotifier;
import com.example.notifications.domain.Events;
import com.example.notifications.domain.Notification;
import com.example.notifications.domain.NotificationRejectedException;
import com.example.notifications.domain.NotificationSent;
import com.example.notifications.dynamodb.DynamoDbNotificationLog;
import com.example.notifications.sender.NotificationSenders;
import java.time.Clock;

/**
 * OrderShipped, OutOfStock, PaymentFailed -> one e-mail per order and outcome -> NotificationSent.
 * Consumer {@code notify-customer}.
 */
public final class NotifyCustomerHandler extends EventConsumer {
  public NotifyCustomerHandler() {
    this(ConsumerRuntime.fromEnvironment(), new CustomerNotifier(
        new DynamoDbNotificationLog(AwsClients.fromEnvironment().dynamoDb(), FunctionEnvironment.table("notifications")),
        NotificationSenders.fromEnvironment(), Clock.systemUTC(), CustomerNotifier.DEFAULT_LEASE));
  }

  public NotifyCustomerHandler(ConsumerRuntime runtime, CustomerNotifier notifier) {
    super(runtime, handlers -> handlers
        .on("OrderShipped", Events.OrderShipped.class,
            (event, data, ctx) -> ctx.emit("NotificationSent", send(notifier, Notification.shipped(data))))
        .on("OutOfStock", Events.OutOfStock.class,
            (event, data, ctx) -> ctx.emit("NotificationSent", send(notifier, Notification.outOfStock(data))))
        .on("PaymentFailed", Events.PaymentFailed.class,
            (event, data, ctx) -> ctx.emit("NotificationSent", send(notifier, Notification.paymentFailed(data)))));
  }

  private static NotificationSent send(CustomerNotifier notifier, Notification notification) {
    try {
      return notifier.notify(notification);
    } catch (NotificationRejectedException e) {
      throw new PoisonMessageException(e.getMessage(), e);
    }
  }

  /**
   * Every call the handlers make goes to its notification log and SES through the function's AWS
   * clients, so SnapStart priming runs the catalog's samples through them.
   */
  @Override
  protected boolean primesHandlers() {
    return true;
  }
}
