package com.example.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.inventory.domain.OrderPlaced.OrderLine;
import com.example.inventory.domain.OutOfStock.Unavailable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StockReservationsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  private final InMemoryStock stock = new InMemoryStock().with("SKU-RED-MUG", 10).with("SKU-RARE-VASE", 1);
  private final StockReservations reservations = new StockReservations(stock, stock, CLOCK);

  @Test
  void reserve_shouldHoldEveryLineAndCarryTheOrder_whenStockSuffices() {
    ReservationOutcome outcome = reservations.reserve(order("ord_AAAAAAAA1", line("SKU-RED-MUG", 2), line("SKU-RARE-VASE", 1)));

    assertThat(outcome).isInstanceOf(ReservationOutcome.Reserved.class);
    InventoryReserved event = ((ReservationOutcome.Reserved) outcome).event();
    assertThat(event.reservationId()).isEqualTo("res_ord_AAAAAAAA1");
    assertThat(event.items()).containsExactly(new StockLine("SKU-RED-MUG", 2), new StockLine("SKU-RARE-VASE", 1));
    assertThat(event.amountCents()).isEqualTo(3750);
    assertThat(event.currency()).isEqualTo("EUR");
    assertThat(event.paymentToken()).isEqualTo("tok_visa_ok");
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(8);
    assertThat(stock.availableOf("SKU-RARE-VASE")).isZero();
    assertThat(stock.find("ord_AAAAAAAA1")).get().extracting(Reservation::status).isEqualTo(Reservation.Status.RESERVED);
  }

  @Test
  void reserve_shouldReleaseHeldLinesAndReportShortOnes_whenOneLineLacksStock() {
    ReservationOutcome outcome = reservations.reserve(order("ord_AAAAAAAA2", line("SKU-RED-MUG", 3), line("SKU-RARE-VASE", 2)));

    assertThat(outcome).isInstanceOf(ReservationOutcome.Rejected.class);
    assertThat(((ReservationOutcome.Rejected) outcome).event().unavailable())
        .containsExactly(new Unavailable("SKU-RARE-VASE", 2, 1));
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(10);
    assertThat(stock.holds("SKU-RED-MUG", "ord_AAAAAAAA2")).isFalse();
    assertThat(stock.find("ord_AAAAAAAA2")).isEmpty();
  }

  @Test
  void reserve_shouldReportEveryShortLineWithoutTakingMore_whenTheFirstLineFails() {
    ReservationOutcome outcome = reservations.reserve(order("ord_AAAAAAAA3", line("SKU-UNKNOWN", 1), line("SKU-RARE-VASE", 5), line("SKU-RED-MUG", 1)));

    assertThat(((ReservationOutcome.Rejected) outcome).event().unavailable())
        .containsExactly(new Unavailable("SKU-UNKNOWN", 1, 0), new Unavailable("SKU-RARE-VASE", 5, 1));
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(10);
  }

  @Test
  void reserve_shouldNotTakeTwice_whenRetriedAfterACrashBeforeTheRecordWasWritten() {
    stock.reserve("SKU-RED-MUG", 2, "ord_AAAAAAAA4"); // the first attempt got this far

    ReservationOutcome outcome = reservations.reserve(order("ord_AAAAAAAA4", line("SKU-RED-MUG", 2)));

    assertThat(outcome).isInstanceOf(ReservationOutcome.Reserved.class);
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(8);
  }

  @Test
  void reserve_shouldReEmitWithoutTouchingStock_whenTheReservationIsRecorded() {
    OrderPlaced order = order("ord_AAAAAAAA5", line("SKU-RED-MUG", 2));
    reservations.reserve(order);
    int calls = stock.reserveCalls;

    ReservationOutcome again = reservations.reserve(order);

    assertThat(again).isInstanceOf(ReservationOutcome.Reserved.class);
    assertThat(stock.reserveCalls).isEqualTo(calls);
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(8);
  }

  @Test
  void reserve_shouldMergeLinesOfOneSku_whenTheOrderRepeatsIt() {
    ReservationOutcome outcome = reservations.reserve(order("ord_AAAAAAAA6", line("SKU-RED-MUG", 2), line("SKU-RED-MUG", 3)));

    assertThat(((ReservationOutcome.Reserved) outcome).event().items()).containsExactly(new StockLine("SKU-RED-MUG", 5));
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(5);
  }

  @Test
  void release_shouldGiveStockBackOnce_whenPaymentFailedIsDeliveredTwice() {
    reservations.reserve(order("ord_AAAAAAAA7", line("SKU-RED-MUG", 4)));
    PaymentFailed failed = new PaymentFailed("ord_AAAAAAAA7", "DECLINED", "res_ord_AAAAAAAA7", "cus_1", "a@example.com",
        List.of(new StockLine("SKU-RED-MUG", 4)), 5000, "EUR");

    InventoryReleased first = reservations.release(failed);
    InventoryReleased second = reservations.release(failed);

    assertThat(first).isEqualTo(second);
    assertThat(first.items()).containsExactly(new StockLine("SKU-RED-MUG", 4));
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(10);
  }

  @Test
  void reserve_shouldIgnoreALateDuplicate_whenTheReservationWasReleased() {
    OrderPlaced order = order("ord_AAAAAAAA8", line("SKU-RED-MUG", 4));
    reservations.reserve(order);
    reservations.release(new PaymentFailed("ord_AAAAAAAA8", "DECLINED", "res_ord_AAAAAAAA8", "cus_1", "a@example.com",
        List.of(new StockLine("SKU-RED-MUG", 4)), 5000, "EUR"));

    ReservationOutcome late = reservations.reserve(order);

    assertThat(late).isInstanceOf(ReservationOutcome.AlreadyReleased.class);
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(10);
  }

  static OrderLine line(String sku, int quantity) {
    return new OrderLine(sku, quantity, 1250);
  }

  static OrderPlaced order(String orderId, OrderLine... lines) {
    long total = 0;
    for (OrderLine l : lines) {
      total += l.quantity() * l.unitPriceCents();
    }
    return new OrderPlaced(orderId, "cus_1001", "ada@example.com", "web", List.of(lines), total, "EUR", "tok_visa_ok");
  }

  @Test
  void release_shouldGiveBackWhatTheRecordHolds_whenTheEventListsOtherQuantities() {
    reservations.reserve(order("ord_AAAAAAAA9", line("SKU-RED-MUG", 2), line("SKU-RED-MUG", 1)));

    InventoryReleased released = reservations.release(new PaymentFailed("ord_AAAAAAAA9", "DECLINED", "res_ord_AAAAAAAA9",
        "cus_1", "a@example.com", List.of(new StockLine("SKU-RED-MUG", 2)), 3750, "EUR"));

    assertThat(released.items()).containsExactly(new StockLine("SKU-RED-MUG", 3));
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(10);
  }

  @Test
  void settle_shouldKeepTheStockTakenAndDropTheOrderFromEveryLine_whenPaymentIsAuthorized() {
    reservations.reserve(order("ord_AAAAAAAB1", line("SKU-RED-MUG", 2), line("SKU-RARE-VASE", 1)));

    int first = reservations.settle(new PaymentAuthorized("ord_AAAAAAAB1",
        List.of(new StockLine("SKU-RED-MUG", 2), new StockLine("SKU-RARE-VASE", 1))));
    int again = reservations.settle(new PaymentAuthorized("ord_AAAAAAAB1",
        List.of(new StockLine("SKU-RED-MUG", 2), new StockLine("SKU-RARE-VASE", 1))));

    assertThat(first).isEqualTo(2);
    assertThat(again).isZero();
    assertThat(stock.holds("SKU-RED-MUG", "ord_AAAAAAAB1")).isFalse();
    assertThat(stock.holds("SKU-RARE-VASE", "ord_AAAAAAAB1")).isFalse();
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(8);
    assertThat(stock.availableOf("SKU-RARE-VASE")).isZero();
    assertThat(reservations.reserve(order("ord_AAAAAAAB1", line("SKU-RED-MUG", 2), line("SKU-RARE-VASE", 1))))
        .as("a late OrderPlaced is answered from the record, not by taking stock again")
        .isInstanceOf(ReservationOutcome.Reserved.class);
    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(8);
  }

  @Test
  void settle_shouldUseTheRecordsLines_whenTheEventListsOtherSkus() {
    reservations.reserve(order("ord_AAAAAAAB2", line("SKU-RED-MUG", 1), line("SKU-RARE-VASE", 1)));

    reservations.settle(new PaymentAuthorized("ord_AAAAAAAB2", List.of(new StockLine("SKU-RED-MUG", 1))));

    assertThat(stock.holds("SKU-RARE-VASE", "ord_AAAAAAAB2")).isFalse();
  }

  @Test
  void settle_shouldLeaveAReleasedReservationToItsCompensation_whenBothOutcomesArrive() {
    reservations.reserve(order("ord_AAAAAAAB3", line("SKU-RED-MUG", 4)));
    PaymentFailed failed = new PaymentFailed("ord_AAAAAAAB3", "DECLINED", "res_ord_AAAAAAAB3", "cus_1", "a@example.com",
        List.of(new StockLine("SKU-RED-MUG", 4)), 5000, "EUR");
    // The record is marked RELEASED before any line is given back: a settlement in between must not
    // drop the ids the compensation's retry still gives back by.
    stock.markReleased("ord_AAAAAAAB3", "res_ord_AAAAAAAB3", List.of(new StockLine("SKU-RED-MUG", 4)), CLOCK.instant());

    assertThat(reservations.settle(new PaymentAuthorized("ord_AAAAAAAB3", List.of(new StockLine("SKU-RED-MUG", 4))))).isZero();
    reservations.release(failed);

    assertThat(stock.availableOf("SKU-RED-MUG")).isEqualTo(10);
  }
}
