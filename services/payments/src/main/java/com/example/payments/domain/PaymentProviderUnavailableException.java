package com.example.payments.domain;

/** The provider could not give an answer now; asking again later may succeed. */
public class PaymentProviderUnavailableException extends RuntimeException {
  public PaymentProviderUnavailableException(String message) {
    super(message);
  }

  public PaymentProviderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
