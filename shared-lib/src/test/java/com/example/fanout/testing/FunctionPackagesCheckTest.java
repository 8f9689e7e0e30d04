package com.example.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FunctionPackagesCheckTest {
  @Test
  void check_shouldAskForTheZipWithoutS3_whenTheServiceSkipsItButOnlySomeFunctionsCallS3() {
    assertThatThrownBy(() -> FunctionPackagesCheck.check(Repo.services(), "orders", true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[status-projection, api, outbox-relay] never call S3 but [imports] do")
        .hasMessageContaining("<function-zip.without-s3.skip>false</function-zip.without-s3.skip> in services/orders/pom.xml");
  }

  @Test
  void check_shouldRefuseTheZipWithoutS3_whenNoFunctionWouldRunFromIt() {
    assertThatThrownBy(() -> FunctionPackagesCheck.check(Repo.services(), "inventory", false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no function would run from inventory-function-without-s3.zip");
  }

  @Test
  void check_shouldPass_whenThePomAgreesWithTheManifest() {
    assertThat(FunctionPackagesCheck.check(Repo.services(), "orders", false).buildsZipWithoutS3()).isTrue();
    assertThat(FunctionPackagesCheck.check(Repo.services(), "inventory", true).buildsZipWithoutS3()).isFalse();
  }
}
