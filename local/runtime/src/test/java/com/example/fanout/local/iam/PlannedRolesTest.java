package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.local.iam.PlannedRoles.Role;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannedRolesTest {
  static final Path FIXTURE = Path.of("src/test/resources/iam/dev-state.json");

  static PlannedRoles local() {
    return PlannedRoles.forLocal(FIXTURE, "dev", "local", "000000000000", "us-east-1");
  }

  @Test
  void forLocal_shouldReadEachFunctionsRole_withNamesAndArnsMovedToTheLocalEnvironment() {
    PlannedRoles roles = local();

    assertThat(roles.all()).containsOnlyKeys("local-inventory-reserve-stock", "local-notifications-notify-customer");
    Role inventory = roles.role("local-inventory-reserve-stock").orElseThrow();
    assertThat(inventory.roleName()).isEqualTo("local-inventory-reserve-stock-role");
    assertThat(inventory.statements()).extracting(Statement::sid).containsExactly("WriteTraces", "TableStock", "PublishOwnEventsOnly");
    assertThat(inventory.statements().get(1).resources()).containsExactly("arn:aws:dynamodb:us-east-1:000000000000:table/local-inventory-stock");
    Statement publish = inventory.statements().get(2);
    assertThat(publish.resources()).containsExactly("arn:aws:events:us-east-1:000000000000:event-bus/local-fanout");
    assertThat(publish.conditions()).containsExactly(
        new Statement.Condition("StringEquals", "events:source", List.of("com.example.inventory")),
        new Statement.Condition("StringEquals", "events:detail-type", List.of("InventoryReserved", "OutOfStock")));
  }

  @Test
  void forLocal_shouldReadThePolicyDocument_whenTheRenderedPolicyIsUnknownInThePlan() {
    Role notify = local().role("local-notifications-notify-customer").orElseThrow();

    assertThat(notify.statements()).extracting(Statement::sid).containsExactly("TableNotifications", "SendFromOrdersDomain", "GetClaimChecks");
    assertThat(notify.statements().get(1).resources()).containsExactly("arn:aws:ses:us-east-1:000000000000:identity/example.com");
    assertThat(notify.statements().get(2).resources())
        .containsExactly("arn:aws:s3:::local-fanout-claim-checks-000000000000/claim-checks/*/OrderShipped/*");
  }
}
