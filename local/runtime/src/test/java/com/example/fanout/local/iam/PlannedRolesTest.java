package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.iam.PlannedRoles.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void forLocal_shouldReadTheRoleEachSchedulesTargetNames_withoutItsQueuesResourcePolicy() {
    PlannedRoles roles = local();

    assertThat(roles.schedules()).containsOnlyKeys("local-reporting-daily-report");
    Role scheduler = roles.scheduleRole("local-reporting-daily-report").orElseThrow();
    assertThat(scheduler.roleName()).isEqualTo("local-reporting-daily-report-scheduler");
    assertThat(scheduler.statements()).extracting(Statement::sid).containsExactly("InvokeTheJob", "WriteTheDlq");
    assertThat(scheduler.statements().get(0).resources())
        .containsExactly("arn:aws:lambda:us-east-1:000000000000:function:local-reporting-daily-report:live");
    assertThat(scheduler.statements().get(1).resources()).containsExactly("arn:aws:sqs:us-east-1:000000000000:local-reporting-daily-report-dlq");
    assertThat(roles.all()).as("a schedule is not a function").doesNotContainKey("local-reporting-daily-report");
  }

  @Test
  void forLocal_shouldLeaveTheScheduleUnchecked_whenThePlanLeavesItsRolesPolicyUnknown(@TempDir Path dir) throws IOException {
    JsonNode plan = EventJson.parse(Files.readString(FIXTURE));
    plan.findParents("type").stream()
        .filter(r -> r.path("type").asText().equals("aws_iam_role_policy") && r.path("address").asText().contains("scheduled_job"))
        .forEach(r -> ((ObjectNode) r.get("values")).remove("policy"));
    Path file = dir.resolve("plan.json");
    Files.writeString(file, EventJson.write(plan));

    PlannedRoles roles = PlannedRoles.forLocal(file, "dev", "local", "000000000000", "us-east-1");

    assertThat(roles.scheduleRole("local-reporting-daily-report")).isEmpty();
    IamEnforcer enforcer = new IamEnforcer(IamMode.ENFORCE, roles, Set.of(), "000000000000");
    assertThat(enforcer.authorizeSchedule("local-reporting-daily-report",
        List.of(new AuthzRequest("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:local-reporting-daily-report:live"))))
        .isEmpty();
  }

  @Test
  void authorizeSchedule_shouldRefuseWhatTheSchedulersRoleDoesNotGrant_andRecordItUnderTheRolesName() {
    IamEnforcer enforcer = new IamEnforcer(IamMode.ENFORCE, local(), Set.of(), "000000000000");
    String job = "arn:aws:lambda:us-east-1:000000000000:function:local-reporting-daily-report:live";

    assertThat(enforcer.authorizeSchedule("local-reporting-daily-report", List.of(new AuthzRequest("lambda:InvokeFunction", job))))
        .isEmpty();
    Denial other = enforcer.authorizeSchedule("local-reporting-daily-report",
        List.of(new AuthzRequest("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:000000000000:function:local-orders-api:live"))).orElseThrow();

    assertThat(other.message()).isEqualTo("User: arn:aws:sts::000000000000:assumed-role/local-reporting-daily-report-scheduler/"
        + "local-reporting-daily-report is not authorized to perform: lambda:InvokeFunction on resource: "
        + "arn:aws:lambda:us-east-1:000000000000:function:local-orders-api:live because no identity-based policy allows the"
        + " lambda:InvokeFunction action");
    assertThat(enforcer.denied()).containsOnlyKeys("local-reporting-daily-report-scheduler");
    assertThat(IamUsage.table(enforcer)).contains("| local-reporting-daily-report-scheduler | lambda:InvokeFunction | sqs:SendMessage | lambda:InvokeFunction |");
  }
}
