package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IamSettingsTest {

  @Test
  void enforcer_shouldFallBackToWarnWithoutRoles_whenTheTerraformJsonIsMissing() {
    IamEnforcer enforcer = IamSettings.of(IamMode.ENFORCE, Path.of("target/no-such-state.json"))
        .enforcer(Set.of("local-orders-api"), "local", "000000000000", "us-east-1");

    assertThat(enforcer.mode()).isEqualTo(IamMode.WARN);
    assertThat(enforcer.roles().source()).isNull();
    assertThat(enforcer.authorize("local-orders-api", java.util.List.of(new AuthzRequest("dynamodb:DeleteTable", "*")))).isEmpty();
    assertThat(enforcer.used()).containsKey("local-orders-api");
    assertThat(enforcer.denied()).isEmpty();
  }

  @Test
  void parse_shouldNameTheAcceptedModes_whenTheOptionIsWrong() {
    assertThat(IamMode.parse("Enforce")).isEqualTo(IamMode.ENFORCE);
    assertThatThrownBy(() -> IamMode.parse("strict")).hasMessage("--iam takes enforce, warn or off, not 'strict'");
  }
}
