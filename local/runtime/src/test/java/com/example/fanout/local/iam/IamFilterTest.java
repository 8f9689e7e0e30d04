package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.local.HttpExchanges;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * Unchanged SDK clients, signing as a function, against a loopback stand-in behind the IAM filter
 * with the fixture's planned roles: what the role allows passes, the rest gets each protocol's own
 * AccessDenied, naming the action.
 */
class IamFilterTest {
  private static final String INVENTORY = "local-inventory-reserve-stock";
  private static final String NOTIFY = "local-notifications-notify-customer";
  private HttpServer server;

  private URI serve(IamMode mode, ServiceProtocol protocol, PlannedRoles roles, String okBody) {
    server = HttpExchanges.server(0);
    IamEnforcer enforcer = new IamEnforcer(mode, roles, Set.of(INVENTORY, NOTIFY), "000000000000");
    server.createContext("/", exchange -> HttpExchanges.send(exchange, 200, "application/json", okBody))
        .getFilters().add(new IamFilter(enforcer, protocol));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static StaticCredentialsProvider as(String function) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(function, "local"));
  }

  @Test
  void dynamoDb_shouldAnswerAccessDeniedNamingTheAction_whenTheRoleGrantsAnotherActionOnTheTable() {
    URI endpoint = serve(IamMode.ENFORCE, ServiceProtocol.dynamoDb("us-east-1", "000000000000"), PlannedRolesTest.local(), "{}");
    try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(as(INVENTORY)).httpClient(UrlConnectionHttpClient.create()).build()) {
      Map<String, AttributeValue> key = Map.of("sku", AttributeValue.fromS("A"));

      ddb.getItem(r -> r.tableName("local-inventory-stock").key(key));
      assertThatThrownBy(() -> ddb.deleteItem(r -> r.tableName("local-inventory-stock").key(key)))
          .isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.statusCode()).isEqualTo(400);
          })
          .hasMessageContaining("User: arn:aws:sts::000000000000:assumed-role/local-inventory-reserve-stock-role/local-inventory-reserve-stock"
              + " is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/local-inventory-stock"
              + " because no identity-based policy allows the dynamodb:DeleteItem action");
    }
  }

  @Test
  void eventBridge_shouldDenyAnEntryOfATypeTheFunctionDoesNotPublish_withJson11AccessDenied() {
    URI endpoint = serve(IamMode.ENFORCE, ServiceProtocol.eventBridge("us-east-1", "000000000000"), PlannedRolesTest.local(),
        "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"1\"}]}");
    try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(as(INVENTORY)).httpClient(UrlConnectionHttpClient.create()).build()) {
      events.putEvents(r -> r.entries(e -> e.eventBusName("local-fanout").source("com.example.inventory").detailType("OutOfStock").detail("{}")));

      assertThatThrownBy(() -> events.putEvents(r -> r.entries(
          e -> e.eventBusName("local-fanout").source("com.example.inventory").detailType("InventoryReleased").detail("{}"))))
          .isInstanceOfSatisfying(EventBridgeException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"))
          .hasMessageContaining("not authorized to perform: events:PutEvents on resource: arn:aws:events:us-east-1:000000000000:event-bus/local-fanout");
    }
  }

  @Test
  void sns_shouldDenyPublishAndPublishBatch_withAuthorizationError_whenNoStatementGrantsSnsPublish() {
    URI endpoint = serve(IamMode.ENFORCE, ServiceProtocol.eventBridge("us-east-1", "000000000000"), PlannedRolesTest.local(), "{}");
    String topic = "arn:aws:sns:us-east-1:000000000000:local-inventory-events";
    try (SnsClient sns = SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(as(INVENTORY)).httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).message("{}")))
          .isInstanceOfSatisfying(SnsException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError");
            assertThat(e.statusCode()).isEqualTo(403);
          })
          .hasMessageContaining("not authorized to perform: sns:Publish on resource: " + topic);
      assertThatThrownBy(() -> sns.publishBatch(r -> r.topicArn(topic).publishBatchRequestEntries(e -> e.id("1").message("{}"))))
          .isInstanceOfSatisfying(SnsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError"));
    }
  }

  @Test
  void s3_shouldAnswerXmlAccessDenied_whenTheObjectIsOutsideTheGrantedKeys() {
    URI endpoint = serve(IamMode.ENFORCE, ServiceProtocol.s3(), PlannedRolesTest.local(), "");
    try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(as(NOTIFY)).httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThatThrownBy(() -> s3.putObject(r -> r.bucket("local-fanout-claim-checks-000000000000").key("claim-checks/x/OrderShipped/1.json"),
          RequestBody.fromString("{}")))
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
          })
          .hasMessageContaining("s3:PutObject on resource: arn:aws:s3:::local-fanout-claim-checks-000000000000/claim-checks/x/OrderShipped/1.json");
    }
  }

  @Test
  void ses_shouldAllowTheDeclaredIdentityOnly_andAnswerRestJsonAccessDeniedOtherwise() {
    URI endpoint = serve(IamMode.ENFORCE, ServiceProtocol.sesV2("us-east-1", "000000000000"), PlannedRolesTest.local(), "{\"MessageId\":\"m\"}");
    try (SesV2Client ses = SesV2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(as(NOTIFY)).httpClient(UrlConnectionHttpClient.create()).build()) {
      ses.sendEmail(r -> r.fromEmailAddress("orders@example.com").destination(d -> d.toAddresses("a@b.c"))
          .content(c -> c.simple(s -> s.subject(t -> t.data("s")).body(b -> b.text(t -> t.data("b"))))));

      assertThatThrownBy(() -> ses.sendEmail(r -> r.fromEmailAddress("orders@other.example").destination(d -> d.toAddresses("a@b.c"))
          .content(c -> c.simple(s -> s.subject(t -> t.data("s")).body(b -> b.text(t -> t.data("b")))))))
          .isInstanceOfSatisfying(SesV2Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
          })
          .hasMessageContaining("ses:SendEmail on resource: arn:aws:ses:us-east-1:000000000000:identity/other.example");
    }
  }

  @Test
  void sqs_shouldAllowTheOwnDlqOnly_andAnswerAccessDeniedInTheJsonProtocolWithTheQueryErrorCode() {
    PlannedRoles roles = PlannedRoles.of(Map.of(INVENTORY, new PlannedRoles.Role(INVENTORY, INVENTORY + "-role", List.of(
        new Statement("MovePoisonToOwnDlq", true, List.of("sqs:SendMessage"),
            List.of("arn:aws:sqs:us-east-1:000000000000:local-inventory-reserve-stock-dlq"), List.of())))));
    URI endpoint = serve(IamMode.ENFORCE, new SqsProtocol("us-east-1", "000000000000"), roles,
        "{\"MessageId\":\"m\",\"MD5OfMessageBody\":\"99914b932bd37a50b983c5e7c90ae93b\"}");
    try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(as(INVENTORY)).httpClient(UrlConnectionHttpClient.create()).build()) {
      sqs.sendMessage(r -> r.queueUrl(endpoint + "/000000000000/local-inventory-reserve-stock-dlq").messageBody("{}"));

      assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl(endpoint + "/000000000000/local-payments-authorize-payment").messageBody("{}")))
          .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"))
          .hasMessageContaining("sqs:SendMessage on resource: arn:aws:sqs:us-east-1:000000000000:local-payments-authorize-payment");
    }
  }

  @Test
  void removingOneStatementFromThePlannedRole_shouldMakeTheCallItGrantedFailWithAccessDeniedNamingTheAction() {
    PlannedRoles planned = PlannedRolesTest.local();
    PlannedRoles withoutSes = PlannedRoles.of(Map.of(NOTIFY, new PlannedRoles.Role(NOTIFY, NOTIFY + "-role",
        planned.role(NOTIFY).orElseThrow().statements().stream().filter(s -> !s.sid().equals("SendFromOrdersDomain")).toList())));
    URI endpoint = serve(IamMode.ENFORCE, ServiceProtocol.sesV2("us-east-1", "000000000000"), withoutSes, "{\"MessageId\":\"m\"}");
    try (SesV2Client ses = SesV2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(as(NOTIFY)).httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThatThrownBy(() -> ses.sendEmail(r -> r.fromEmailAddress("orders@example.com").destination(d -> d.toAddresses("a@b.c"))
          .content(c -> c.simple(s -> s.subject(t -> t.data("s")).body(b -> b.text(t -> t.data("b")))))))
          .isInstanceOfSatisfying(SesV2Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
          })
          .hasMessageContaining("is not authorized to perform: ses:SendEmail");
    }
  }

  @Test
  void warnMode_shouldLetADeniedCallThrough_andRecordTheActionsEachFunctionUsed() {
    PlannedRoles roles = PlannedRolesTest.local();
    IamEnforcer warn = new IamEnforcer(IamMode.WARN, roles, Set.of(INVENTORY), "000000000000");
    String table = "arn:aws:dynamodb:us-east-1:000000000000:table/local-inventory-stock";

    assertThat(warn.authorize(INVENTORY, List.of(new AuthzRequest("dynamodb:DeleteItem", table)))).isEmpty();
    assertThat(warn.authorize("operator", List.of(new AuthzRequest("dynamodb:DeleteTable", table)))).isEmpty();
    assertThat(warn.used()).isEqualTo(Map.of(INVENTORY, Set.of("dynamodb:DeleteItem")));
    assertThat(warn.denied()).isEqualTo(Map.of(INVENTORY, Set.of("dynamodb:DeleteItem")));
  }
}
