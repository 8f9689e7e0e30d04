package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lambda refuses to create an event-source mapping whose function's role cannot make the calls the
 * mapping makes with it; the platform's start does the same with the planned roles. (That every
 * mapping of the reference services passes with the dev plan is shown by the end-to-end tests,
 * which start under {@code --iam enforce}.)
 */
class MappingPermissionsTest {
  private static final String INVENTORY = "local-inventory-reserve-stock";
  private static final String QUEUE_NAME = "local-inventory-reserve-stock";
  private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:" + QUEUE_NAME;

  @Test
  void require_shouldRefuseTheMappingWithLambdasWording_whenTheRoleCannotReceiveFromTheQueue() {
    IamEnforcer enforcer = new IamEnforcer(IamMode.ENFORCE, PlannedRolesTest.local(), Set.of(INVENTORY), "000000000000");

    assertThatThrownBy(() -> MappingPermissions.require(enforcer, INVENTORY, "inventory-reserve-stock", MappingPermissions.sqs("us-east-1", "000000000000", QUEUE_NAME)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("InvalidParameterValueException: The provided execution role does not have permissions to call"
            + " ReceiveMessage on SQS")
        .hasMessageContaining("on resource: " + QUEUE);
  }

  @Test
  void require_shouldNameTheStreamAction_whenTheRoleCannotReadTheStream() {
    IamEnforcer enforcer = new IamEnforcer(IamMode.ENFORCE, PlannedRolesTest.local(), Set.of(INVENTORY), "000000000000");
    String stream = "arn:aws:dynamodb:us-east-1:000000000000:table/local-inventory-stock/stream/2026-01-01T00:00:00.000";

    assertThatThrownBy(() -> MappingPermissions.require(enforcer, INVENTORY, "inventory-relay",
        MappingPermissions.dynamoDbStream(stream, "us-east-1", "000000000000", QUEUE_NAME + "-dlq")))
        .hasMessageContaining("does not have permissions to call DescribeStream on DynamoDB");
  }

  @Test
  void requireFor_shouldRefuseTheEventInvokeConfig_whenTheRoleCannotSendToItsOnFailureQueue() {
    IamEnforcer enforcer = new IamEnforcer(IamMode.ENFORCE, PlannedRolesTest.local(), Set.of(INVENTORY), "000000000000");

    assertThatThrownBy(() -> MappingPermissions.requireFor(enforcer, "PutFunctionEventInvokeConfig", INVENTORY,
        MappingPermissions.onFailureQueue("us-east-1", "000000000000", "local-inventory-imports-dlq")))
        .hasMessageStartingWith("PutFunctionEventInvokeConfig for " + INVENTORY + ": InvalidParameterValueException")
        .hasMessageContaining("does not have permissions to call SendMessage on SQS")
        .hasMessageContaining("arn:aws:sqs:us-east-1:000000000000:local-inventory-imports-dlq");
  }

  @Test
  void require_shouldLogAndGoOn_inWarnMode() {
    IamEnforcer enforcer = new IamEnforcer(IamMode.WARN, PlannedRolesTest.local(), Set.of(INVENTORY), "000000000000");

    assertThatCode(() -> MappingPermissions.require(enforcer, INVENTORY, "inventory-reserve-stock", MappingPermissions.sqs("us-east-1", "000000000000", QUEUE_NAME)))
        .doesNotThrowAnyException();
    assertThat(enforcer.denied().get(INVENTORY)).contains("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
  }
}
