package com.example.payments.domain;

import java.util.Optional;

/** The payments table. */
public interface PaymentStore {
  Optional<PaymentRecord> find(String orderId);

  /**
   * Stores the record unless the order already has one (conditional put); returns the record that
   * is stored: this one, or the earlier one that won.
   */
  PaymentRecord recordOnce(PaymentRecord record);
}
