package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.manifest.ServiceManifest.Permission;
import com.example.fanout.testing.Repo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionAccessManifestTest {
  private static final String VALID = """
      service: notifications
      source: com.example.notifications
      description: test
      owner: team-notifications
      publishes:
        - type: NotificationSent
          version: 1
          schema: schemas/NotificationSent.v1.json
          claim_check: true
      consumers:
        - name: notify-customer
          handler: com.example.notifications.handler.NotifyCustomerHandler
          "on": [OrderShipped]
          batch: { size: 10 }
          function:
            memory_mb: 512
            timeout_seconds: 20
            reserved_concurrency: 5
            access:
              publishes: [NotificationSent]
              tables: { notifications: [dynamodb:GetItem, dynamodb:PutItem] }
              secrets: [/fanout/notifications/key]
              permissions:
                - sid: SendFromOrdersDomain
                  actions: [ses:SendEmail]
                  resources: ["arn:{partition}:ses:{region}:{account}:identity/example.com"]
          queue: { visibility_timeout_seconds: 120, max_receive_count: 5 }
      secrets: [/fanout/notifications/key]
      tables:
        - name: notifications
          key: { partition: pk }
      """;

  @Test
  void parse_shouldReadAccessAndClaimCheck_whenDeclared() {
    ServiceManifest m = ManifestLoader.parse("notifications.yaml", VALID, null);

    var access = m.consumers().get(0).function().access();
    assertThat(access.publishes()).containsExactly("NotificationSent");
    assertThat(access.tables()).isEqualTo(Map.of("notifications", List.of("dynamodb:GetItem", "dynamodb:PutItem")));
    assertThat(access.secrets()).containsExactly("/fanout/notifications/key");
    assertThat(access.permissions()).containsExactly(new Permission("SendFromOrdersDomain", List.of("ses:SendEmail"),
        List.of("arn:{partition}:ses:{region}:{account}:identity/example.com")));
    assertThat(m.claimCheckTypes()).containsExactly("NotificationSent");
  }

  @Test
  void awsActionsOf_shouldListTheTablesAndPermissionsActions_theSecretsReadAndPutEvents_whenTheFunctionPublishes() {
    ServiceManifest m = ManifestLoader.parse("notifications.yaml", VALID, null);

    assertThat(m.awsActionsOf("notify-customer"))
        .containsExactly("dynamodb:GetItem", "dynamodb:PutItem", "events:PutEvents", "secretsmanager:GetSecretValue", "ses:SendEmail");
    assertThat(m.awsActionsOf("no-such-function")).isEmpty();
  }

  @Test
  void awsActionsOf_shouldAddTheObjectReadToABucketsHandler_andNothingToAFunctionThatNeitherPublishesNorHandlesABucket() {
    Catalog catalog = Catalog.load(Repo.services());

    assertThat(catalog.requireService("orders").awsActionsOf("imports"))
        .as("S3 invokes it with the objects it then reads").containsExactly("dynamodb:GetItem", "dynamodb:PutItem", "s3:GetObject", "s3:PutObject");
    assertThat(catalog.requireService("reporting").awsActionsOf("daily-report")).containsExactly("dynamodb:Scan", "s3:PutObject");
    assertThat(catalog.requireService("orders").awsActionsOf("status-projection")).containsExactly("dynamodb:GetItem", "dynamodb:UpdateItem");
  }

  @Test
  void parse_shouldNameTheActionAndTheAllowList_whenAPermissionIsNotAllowListed() {
    assertThat(problems(VALID.replace("actions: [ses:SendEmail]", "actions: [iam:PassRole]")))
        .containsExactly("notifications.yaml: consumers[0].function.access.permissions[0].actions: action 'iam:PassRole' is not allowed here "
            + "(allowed: ses:SendEmail, ses:SendRawEmail, ssm:GetParameter, ssm:GetParameters)",
            "notifications.yaml: consumers[0].function.access.permissions[0].actions: must list at least one action");
  }

  @Test
  void parse_shouldRefuseWildcards_whenAnActionOrAResourceUsesOne() {
    assertThat(problems(VALID.replace("dynamodb:PutItem]", "dynamodb:*]")))
        .singleElement().asString()
        .contains("tables.notifications: action 'dynamodb:*' is not allowed here")
        .endsWith("; wildcards are never granted");
    assertThat(problems(VALID.replace("identity/example.com", "identity/*")))
        .singleElement().asString()
        .contains("'arn:{partition}:ses:{region}:{account}:identity/*' is not one exact ARN");
    assertThat(problems(VALID.replace(":ses:{region}", ":ssm:{region}")))
        .singleElement().asString()
        .endsWith("is a ssm ARN; ses:SendEmail needs a ses one");
  }

  @Test
  void parse_shouldReportNamesTheServiceDoesNotDeclare_whenAccessReferencesThem() {
    String broken = VALID
        .replace("publishes: [NotificationSent]", "publishes: [OrderShipped]")
        .replace("tables: { notifications:", "tables: { orders:")
        .replace("      secrets: [/fanout/notifications/key]\n        permissions", "      secrets: [/fanout/other]\n        permissions");

    assertThat(problems(broken)).containsExactlyInAnyOrder(
        "notifications.yaml: consumers[0].function.access.publishes: 'OrderShipped' is not an event type this service publishes (NotificationSent)",
        "notifications.yaml: consumers[0].function.access.tables.orders: 'orders' is not a table of this service (notifications)",
        "notifications.yaml: consumers[0].function.access.secrets: '/fanout/other' is not a secret listed in the service's secrets (/fanout/notifications/key)");
  }

  @Test
  void parse_shouldRefuseANonBooleanClaimCheck() {
    assertThat(problems(VALID.replace("claim_check: true", "claim_check: sometimes")))
        .containsExactly("notifications.yaml: publishes[0].claim_check: must be true or false, was \"sometimes\"");
  }

  @Test
  void everyReferenceFunction_shouldDeclareWhatItAccesses() {
    Catalog catalog = Catalog.load(Repo.root().resolve("services"));
    ServiceManifest notifications = catalog.service("notifications").orElseThrow();

    assertThat(notifications.consumers().get(0).function().access().permissions())
        .extracting(Permission::actions).containsExactly(List.of("ses:SendEmail"));
    assertThat(catalog.service("payments").orElseThrow().consumers().get(0).function().access().secrets())
        .containsExactly("/fanout/payments/provider");
  }

  private static List<String> problems(String yaml) {
    try {
      ManifestLoader.parse("notifications.yaml", yaml, null);
    } catch (InvalidManifestException e) {
      return e.problems().stream().map(ManifestProblem::toString).toList();
    }
    return List.of();
  }
}
