package com.example.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderIdsTest {

  @Test
  void random_shouldBeOrdAndTwentyLettersOrDigits_always() {
    String id = OrderIds.random();

    assertThat(id).matches("^ord_[A-Za-z0-9]{20}$");
    assertThat(OrderIds.random()).isNotEqualTo(id);
  }

  @Test
  void fromIdempotencyKey_shouldGiveTheSameId_whenTheKeyIsTheSame() {
    assertThat(OrderIds.fromIdempotencyKey("k1")).isEqualTo(OrderIds.fromIdempotencyKey("k1")).matches("^ord_[A-Za-z0-9]{20}$");
    assertThat(OrderIds.fromIdempotencyKey("k1")).isNotEqualTo(OrderIds.fromIdempotencyKey("k2"));
  }

  @Test
  void fromImportLine_shouldDependOnBucketKeyAndLine_whenDerived() {
    String id = OrderIds.fromImportLine("b", "incoming/a.csv", 2);

    assertThat(OrderIds.fromImportLine("b", "incoming/a.csv", 2)).isEqualTo(id);
    assertThat(OrderIds.fromImportLine("b", "incoming/a.csv", 3)).isNotEqualTo(id);
    assertThat(OrderIds.fromImportLine("b", "incoming/b.csv", 2)).isNotEqualTo(id);
    assertThat(OrderIds.fromImportLine("c", "incoming/a.csv", 2)).isNotEqualTo(id);
  }

  @Test
  void isValid_shouldFollowTheSchemaPattern_whenChecked() {
    assertThat(OrderIds.isValid("ord_7Hq2mX9pLk")).isTrue();
    assertThat(OrderIds.isValid("ord_short")).isFalse();
    assertThat(OrderIds.isValid("order-1")).isFalse();
    assertThat(OrderIds.isValid("ord_abc$def12")).isFalse();
  }
}
