package com.example.payments.domain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The payments table in memory, with the same first-wins condition. */
public final class InMemoryPayments implements PaymentStore {
  public final Map<String, PaymentRecord> records = new ConcurrentHashMap<>();

  @Override
  public Optional<PaymentRecord> find(String orderId) {
    return Optional.ofNullable(records.get(orderId));
  }

  @Override
  public PaymentRecord recordOnce(PaymentRecord record) {
    PaymentRecord previous = records.putIfAbsent(record.orderId(), record);
    return previous != null ? previous : record;
  }
}
