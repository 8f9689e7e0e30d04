package com.example.payments.handler;

import com.example.fanout.consumer.ConsumerRuntime;
import com.example.fanout.consumer.EventConsumer;
import com.example.fanout.runtime.AwsClients;
import com.example.fanout.runtime.FunctionEnvironment;
import com.example.payments.domain.InventoryReserved;
import com.example.payments.domain.PaymentAuthorizations;
import com.example.payments.domain.PaymentOutcome;
import com.example.payments.dynamodb.DynamoDbPaymentStore;
import com.example.payments.provider.PaymentProviders;
import java.time.Clock;

/**
 * InventoryReserved -> PaymentAuthorized or PaymentFailed. Consumer {@code authorize-payment}. A
 * transient provider outage throws, so SQS retries the message.
 */
public final class AuthorizePaymentHandler extends EventConsumer {
  public AuthorizePaymentHandler() {
    this(ConsumerRuntime.fromEnvironment(), new PaymentAuthorizations(
        PaymentProviders.fromEnvironment(),
        new DynamoDbPaymentStore(AwsClients.fromEnvironment().dynamoDb(), FunctionEnvironment.table("payments")),
        Clock.systemUTC()));
  }

  public AuthorizePaymentHandler(ConsumerRuntime runtime, PaymentAuthorizations payments) {
    super(runtime, handlers -> handlers.on("InventoryReserved", InventoryReserved.class, (event, reserved, ctx) -> {
      switch (payments.authorize(reserved)) {
        case PaymentOutcome.Authorized a -> ctx.emit("PaymentAuthorized", a.event());
        case PaymentOutcome.Failed f -> ctx.emit("PaymentFailed", f.event());
      }
    }));
  }
}
