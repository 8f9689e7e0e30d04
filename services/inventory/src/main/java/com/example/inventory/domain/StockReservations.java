package com.example.inventory.domain;

import com.example.inventory.domain.OutOfStock.Unavailable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reserves and releases an order's stock, one conditional write per (sku, order), so that:
 * <ul>
 *   <li>concurrent orders never oversell ({@code available >= :q} is checked by DynamoDB);
 *   <li>a retry after a crash never takes a line twice (the stock item holds the set of order ids
 *       whose payment is open; from the reservation record on, a retry is answered from the record);
 *   <li>an order is all or nothing: if one line fails, the lines already held are released
 *       (compensating conditional updates) before OutOfStock is emitted;
 *   <li>a stock item stays small: an order's id leaves it when its stock is given back or when its
 *       payment is authorised (settled), so it holds only the orders whose payment is open.
 * </ul>
 * There is no transaction (and dynalite has none): each step is idempotent, so a crash between two
 * steps is repaired by the SQS retry running the same steps again.
 */
public final class StockReservations {
  private final StockLedger stock;
  private final ReservationStore reservations;
  private final Clock clock;

  public StockReservations(StockLedger stock, ReservationStore reservations, Clock clock) {
    this.stock = Objects.requireNonNull(stock, "stock");
    this.reservations = Objects.requireNonNull(reservations, "reservations");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public ReservationOutcome reserve(OrderPlaced order) {
    String reservationId = Reservation.idFor(order.orderId());
    List<StockLine> lines = StockLines.mergeBySku(
        order.items().stream().map(l -> new StockLine(l.sku(), l.quantity())).toList());

    Optional<Reservation> existing = reservations.find(order.orderId());
    if (existing.isPresent() && existing.get().status() == Reservation.Status.RELEASED) {
      return new ReservationOutcome.AlreadyReleased(order.orderId());
    }
    if (existing.isPresent()) {
      return new ReservationOutcome.Reserved(reserved(order, reservationId, existing.get().lines()));
    }

    List<StockLine> held = new ArrayList<>();
    List<Unavailable> unavailable = new ArrayList<>();
    for (StockLine line : lines) {
      if (unavailable.isEmpty()) {
        LineReservation result = stock.reserve(line.sku(), line.quantity(), order.orderId());
        switch (result) {
          case LineReservation.Reserved r -> held.add(line);
          case LineReservation.AlreadyReserved r -> held.add(line);
          case LineReservation.Insufficient r -> unavailable.add(new Unavailable(line.sku(), line.quantity(), Math.max(0, r.available())));
          case LineReservation.UnknownSku r -> unavailable.add(new Unavailable(line.sku(), line.quantity(), 0));
        }
      } else {
        // Already failing: report the other short lines too, without taking anything.
        OptionalLong available = stock.available(line.sku());
        if (available.isEmpty() || available.getAsLong() < line.quantity()) {
          unavailable.add(new Unavailable(line.sku(), line.quantity(), Math.max(0, available.orElse(0))));
        }
      }
    }

    if (!unavailable.isEmpty()) {
      releaseAll(order.orderId(), held);
      return new ReservationOutcome.Rejected(
          new OutOfStock(order.orderId(), order.customerId(), order.customerEmail(), unavailable));
    }

    Reservation reservation = new Reservation(order.orderId(), reservationId, lines, Reservation.Status.RESERVED, clock.instant());
    if (!reservations.recordReserved(reservation)) {
      // Released meanwhile (a replay racing the compensation): give back what this call took.
      releaseAll(order.orderId(), held);
      return new ReservationOutcome.AlreadyReleased(order.orderId());
    }
    return new ReservationOutcome.Reserved(reserved(order, reservationId, lines));
  }

  /**
   * Compensation after a failed payment: marks the reservation released first (so a late replay of
   * OrderPlaced cannot take the stock again), then gives back every line the order still holds, as
   * the reservation record lists them (the event's items if there is no record).
   * Lines already given back are skipped by the condition, so a retry is harmless.
   */
  public InventoryReleased release(PaymentFailed failed) {
    // What was reserved is the record's to say; the event's items are the fallback (record never written).
    Optional<Reservation> existing = reservations.find(failed.orderId());
    List<StockLine> lines = existing.map(Reservation::lines).orElseGet(() -> StockLines.mergeBySku(failed.items()));
    String reservationId = existing.map(Reservation::reservationId)
        .orElse(failed.reservationId() != null ? failed.reservationId() : Reservation.idFor(failed.orderId()));
    reservations.markReleased(failed.orderId(), reservationId, lines, clock.instant());
    releaseAll(failed.orderId(), lines);
    return new InventoryReleased(failed.orderId(), reservationId, lines);
  }

  /**
   * After an authorised payment the order's stock stays taken for good, so the order's id leaves
   * each of its lines' stock items (they would otherwise grow with every order ever sold, up to
   * DynamoDB's 400 KB item limit). The lines are the reservation record's (the event's items if
   * there is no record). A released reservation is left alone: its compensation gives the stock
   * back by the same ids. Settling twice is harmless; a PaymentFailed after a settlement, which
   * payments never emits (the first outcome wins), would find nothing to give back.
   *
   * @return how many lines were settled now (0 when redelivered)
   */
  public int settle(PaymentAuthorized authorized) {
    Optional<Reservation> existing = reservations.find(authorized.orderId());
    if (existing.isPresent() && existing.get().status() == Reservation.Status.RELEASED) {
      return 0;
    }
    List<StockLine> lines = existing.map(Reservation::lines).orElseGet(() -> StockLines.mergeBySku(authorized.items()));
    int settled = 0;
    for (StockLine line : lines) {
      if (stock.settle(line.sku(), authorized.orderId())) {
        settled++;
      }
    }
    return settled;
  }

  private void releaseAll(String orderId, List<StockLine> lines) {
    for (StockLine line : lines) {
      stock.release(line.sku(), line.quantity(), orderId);
    }
  }

  private static InventoryReserved reserved(OrderPlaced order, String reservationId, List<StockLine> lines) {
    return new InventoryReserved(order.orderId(), reservationId, order.customerId(), order.customerEmail(),
        lines, order.totalCents(), order.currency(), order.paymentToken());
  }
}
