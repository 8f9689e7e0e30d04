package com.example.payments.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.Envelope;
import com.example.fanout.testing.ConsumerHarness;
import com.example.payments.domain.AuthorizationRequest;
import com.example.payments.domain.AuthorizationResult;
import com.example.payments.domain.InMemoryPayments;
import com.example.payments.domain.PaymentAuthorizations;
import com.example.payments.domain.PaymentProvider;
import com.example.payments.domain.PaymentRecord;
import com.example.payments.provider.SimulatedPaymentProvider;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AuthorizePaymentHandlerTest {
  private final List<AuthorizationRequest> asked = new CopyOnWriteArrayList<>();
  private final PaymentProvider provider = request -> {
    asked.add(request);
    return new SimulatedPaymentProvider().authorize(request);
  };
  private final InMemoryPayments payments = new InMemoryPayments();
  private final ConsumerHarness<AuthorizePaymentHandler> harness = new ConsumerHarness<>("payments", "authorize-payment",
      runtime -> new AuthorizePaymentHandler(runtime, new PaymentAuthorizations(provider, payments, Clock.systemUTC())));

  @Test
  void inventoryReserved_shouldEmitPaymentAuthorized_whenTheProviderAuthorises() {
    assertThat(harness.deliver(ConsumerHarness.fixture("InventoryReserved.json"))).isEmpty();

    assertThat(harness.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("PaymentAuthorized");
      assertThat(e.source()).isEqualTo("com.example.payments");
      assertThat(e.data().get("paymentId").asText()).isEqualTo("pay_ord_7Hq2mX9pLk");
      assertThat(e.data().get("amountCents").asLong()).isEqualTo(2500);
      assertThat(e.data().get("items").get(0).get("sku").asText()).isEqualTo("SKU-RED-MUG");
      assertThat(e.data().has("paymentToken")).isFalse();
    });
    assertThat(payments.records.get("ord_7Hq2mX9pLk").status()).isEqualTo(PaymentRecord.Status.AUTHORIZED);
    assertThat(asked).singleElement().satisfies(r -> assertThat(r.orderId()).isEqualTo("ord_7Hq2mX9pLk"));
  }

  @Test
  void inventoryReserved_shouldEmitPaymentFailedWithReasonAndReservation_whenDeclined() {
    Envelope event = ConsumerHarness.fixture("InventoryReserved.json", Map.of("paymentToken", "tok_insufficient"));

    assertThat(harness.deliver(event)).isEmpty();

    assertThat(harness.published).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("PaymentFailed");
      assertThat(e.data().get("reason").asText()).isEqualTo("INSUFFICIENT_FUNDS");
      assertThat(e.data().get("reservationId").asText()).isEqualTo("res_ord_7Hq2mX9pLk");
      assertThat(e.data().get("items").get(0).get("quantity").asInt()).isEqualTo(2);
      assertThat(e.data().get("customerEmail").asText()).isEqualTo("ada@example.com");
    });
  }

  @Test
  void inventoryReserved_shouldFailTheRecordForRetryAndEmitNothing_whenTheProviderIsUnavailable() {
    Envelope event = ConsumerHarness.fixture("InventoryReserved.json", Map.of("paymentToken", "tok_unavailable"));

    assertThat(harness.deliver(event)).containsExactly("msg-" + event.id());

    assertThat(harness.published).isEmpty();
    assertThat(harness.deadLetters).isEmpty();
    assertThat(payments.records).isEmpty();
  }

  @Test
  void inventoryReserved_shouldReturnTheStoredOutcomeWithoutAskingAgain_whenDeliveredTwice() {
    Envelope event = ConsumerHarness.fixture("InventoryReserved.json", Map.of("paymentToken", "tok_decline"));
    harness.deliver(event);
    // A later attempt with a token that would now pass still gets the first answer.
    Envelope replay = ConsumerHarness.fixture("InventoryReserved.json", Map.of("paymentToken", "tok_visa_ok"));

    harness.deliver(replay);

    assertThat(asked).hasSize(1);
    assertThat(harness.published).extracting(Envelope::type).containsExactly("PaymentFailed", "PaymentFailed");
  }

  @Test
  void authorize_shouldKeepTheFirstRecordedOutcome_whenTwoAttemptsRace() {
    PaymentRecord first = new PaymentRecord("ord_7Hq2mX9pLk", PaymentRecord.Status.AUTHORIZED, "pay_first", null, 2500, "EUR",
        java.time.Instant.parse("2026-11-26T10:00:00Z"));
    PaymentProvider racing = request -> {
      payments.recordOnce(first); // the other attempt records while this one asks the provider
      return new AuthorizationResult.Authorized("pay_second");
    };
    ConsumerHarness<AuthorizePaymentHandler> h = new ConsumerHarness<>("payments", "authorize-payment",
        runtime -> new AuthorizePaymentHandler(runtime, new PaymentAuthorizations(racing, payments, Clock.systemUTC())));

    h.deliver(ConsumerHarness.fixture("InventoryReserved.json"));

    assertThat(h.published).singleElement().satisfies(e -> assertThat(e.data().get("paymentId").asText()).isEqualTo("pay_first"));
  }
}
