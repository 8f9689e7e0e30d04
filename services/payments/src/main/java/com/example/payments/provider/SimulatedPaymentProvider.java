package com.example.payments.provider;

import com.example.payments.domain.AuthorizationRequest;
import com.example.payments.domain.AuthorizationResult;
import com.example.payments.domain.FailureReason;
import com.example.payments.domain.PaymentProvider;
import com.example.payments.domain.PaymentProviderUnavailableException;

/**
 * A deterministic provider for local runs and tests ({@code PAYMENT_PROVIDER=simulated}); the token
 * decides: {@code tok_decline} DECLINED, {@code tok_insufficient} INSUFFICIENT_FUNDS,
 * {@code tok_invalid} INVALID_TOKEN, {@code tok_unavailable} a transient outage (the message is
 * retried), anything else authorised as {@code pay_<orderId>}.
 */
public final class SimulatedPaymentProvider implements PaymentProvider {
  @Override
  public AuthorizationResult authorize(AuthorizationRequest request) {
    return switch (request.paymentToken()) {
      case "tok_decline" -> new AuthorizationResult.Refused(FailureReason.DECLINED);
      case "tok_insufficient" -> new AuthorizationResult.Refused(FailureReason.INSUFFICIENT_FUNDS);
      case "tok_invalid" -> new AuthorizationResult.Refused(FailureReason.INVALID_TOKEN);
      case "tok_unavailable" -> throw new PaymentProviderUnavailableException("simulated provider outage for " + request.orderId());
      default -> new AuthorizationResult.Authorized(paymentIdFor(request.orderId()));
    };
  }

  /** Deterministic: a retry gets the same id. */
  public static String paymentIdFor(String orderId) {
    return "pay_" + orderId;
  }
}
