package com.example.inventory.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Fakes of the two tables with the same conditions as the DynamoDB adapters. */
public final class InMemoryStock implements StockLedger, ReservationStore {
  private final Map<String, Long> available = new HashMap<>();
  private final Map<String, Set<String>> holders = new HashMap<>();
  private final Map<String, Reservation> reservations = new HashMap<>();
  public int reserveCalls;
  public int releaseCalls;

  public InMemoryStock with(String sku, long quantity) {
    available.put(sku, quantity);
    holders.put(sku, new HashSet<>());
    return this;
  }

  public synchronized long availableOf(String sku) {
    return available.get(sku);
  }

  public synchronized boolean holds(String sku, String orderId) {
    return holders.getOrDefault(sku, Set.of()).contains(orderId);
  }

  @Override
  public synchronized LineReservation reserve(String sku, int quantity, String orderId) {
    reserveCalls++;
    if (!available.containsKey(sku)) {
      return new LineReservation.UnknownSku();
    }
    if (holders.get(sku).contains(orderId)) {
      return new LineReservation.AlreadyReserved();
    }
    if (available.get(sku) < quantity) {
      return new LineReservation.Insufficient(available.get(sku));
    }
    available.merge(sku, (long) -quantity, Long::sum);
    holders.get(sku).add(orderId);
    return new LineReservation.Reserved();
  }

  @Override
  public synchronized boolean release(String sku, int quantity, String orderId) {
    releaseCalls++;
    if (!holders.getOrDefault(sku, Set.of()).remove(orderId)) {
      return false;
    }
    available.merge(sku, (long) quantity, Long::sum);
    return true;
  }

  @Override
  public synchronized boolean settle(String sku, String orderId) {
    return holders.getOrDefault(sku, Set.of()).remove(orderId);
  }

  @Override
  public synchronized OptionalLong available(String sku) {
    return available.containsKey(sku) ? OptionalLong.of(available.get(sku)) : OptionalLong.empty();
  }

  @Override
  public synchronized Optional<Reservation> find(String orderId) {
    return Optional.ofNullable(reservations.get(orderId));
  }

  @Override
  public synchronized boolean recordReserved(Reservation reservation) {
    Reservation existing = reservations.get(reservation.orderId());
    if (existing != null && existing.status() == Reservation.Status.RELEASED) {
      return false;
    }
    reservations.put(reservation.orderId(), reservation);
    return true;
  }

  @Override
  public synchronized void markReleased(String orderId, String reservationId, List<StockLine> lines, Instant at) {
    reservations.put(orderId, new Reservation(orderId, reservationId, lines, Reservation.Status.RELEASED, at));
  }
}
