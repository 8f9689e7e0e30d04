package com.example.notifications.domain;

import com.example.notifications.domain.Events.OrderShipped;
import com.example.notifications.domain.Events.OutOfStock;
import com.example.notifications.domain.Events.PaymentFailed;
import java.util.Locale;
import java.util.stream.Collectors;

/** One e-mail to one customer about how one order ended. */
public record Notification(String orderId, Outcome outcome, String to, String subject, String body) {

  /** The once-only key: one notification per order and outcome. */
  public String key() {
    return orderId + "#" + outcome.name();
  }

  /** Never prints the address or the body (personal data stays out of logs). */
  @Override
  public String toString() {
    return "Notification[" + key() + "]";
  }

  public static Notification shipped(OrderShipped e) {
    return new Notification(e.orderId(), Outcome.SHIPPED, e.customerEmail(),
        "Your order " + e.orderId() + " is on its way",
        "Good news: order " + e.orderId() + " has shipped with " + e.carrier()
            + ". Tracking number: " + e.trackingNumber() + ".");
  }

  public static Notification outOfStock(OutOfStock e) {
    String lines = e.unavailable().stream()
        .map(u -> u.sku() + " (ordered " + u.requested() + ", available " + u.available() + ")")
        .collect(Collectors.joining(", "));
    return new Notification(e.orderId(), Outcome.OUT_OF_STOCK, e.customerEmail(),
        "We could not fulfil order " + e.orderId(),
        "Sorry: order " + e.orderId() + " was cancelled because some items are out of stock: " + lines
            + ". You have not been charged.");
  }

  public static Notification paymentFailed(PaymentFailed e) {
    String reason = switch (e.reason()) {
      case "INSUFFICIENT_FUNDS" -> "the card had insufficient funds";
      case "INVALID_TOKEN" -> "the payment details were not valid";
      case "PROVIDER_UNAVAILABLE" -> "the payment could not be processed";
      default -> "the payment was declined";
    };
    return new Notification(e.orderId(), Outcome.PAYMENT_FAILED, e.customerEmail(),
        "Payment for order " + e.orderId() + " did not go through",
        "Order " + e.orderId() + " (" + String.format(Locale.ROOT, "%d.%02d %s", e.amountCents() / 100, e.amountCents() % 100, e.currency())
            + ") was cancelled because " + reason + ". No money was taken; you are welcome to order again.");
  }
}
