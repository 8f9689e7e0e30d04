package com.example.payments.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.payments.domain.AuthorizationRequest;
import com.example.payments.domain.AuthorizationResult;
import com.example.payments.domain.FailureReason;
import com.example.payments.domain.PaymentProviderUnavailableException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SimulatedPaymentProviderTest {
  private final SimulatedPaymentProvider provider = new SimulatedPaymentProvider();

  @ParameterizedTest
  @CsvSource({"tok_decline,DECLINED", "tok_insufficient,INSUFFICIENT_FUNDS", "tok_invalid,INVALID_TOKEN"})
  void authorize_shouldRefuseWithTheReason_whenTheTokenSaysSo(String token, FailureReason reason) {
    assertThat(provider.authorize(request(token))).isEqualTo(new AuthorizationResult.Refused(reason));
  }

  @Test
  void authorize_shouldAuthoriseWithAnIdFromTheOrder_whenTheTokenIsAnyOther() {
    assertThat(provider.authorize(request("tok_visa_ok"))).isEqualTo(new AuthorizationResult.Authorized("pay_ord_12345678"));
  }

  @Test
  void authorize_shouldThrowTransient_whenTheTokenIsUnavailable() {
    assertThatThrownBy(() -> provider.authorize(request("tok_unavailable"))).isInstanceOf(PaymentProviderUnavailableException.class);
  }

  private static AuthorizationRequest request(String token) {
    return new AuthorizationRequest("ord_12345678", 1000, "EUR", token, "cus_1");
  }
}
