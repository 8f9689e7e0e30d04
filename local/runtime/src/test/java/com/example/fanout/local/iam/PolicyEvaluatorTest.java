package com.example.fanout.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.local.iam.PolicyEvaluator.Outcome;
import com.example.fanout.local.iam.Statement.Condition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
  private static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/local-inventory-stock";
  private static final String BUS = "arn:aws:events:us-east-1:000000000000:event-bus/local-fanout";

  private static Statement allow(String sid, List<String> actions, List<String> resources, Condition... conditions) {
    return new Statement(sid, true, actions, resources, List.of(conditions));
  }

  private static Outcome outcome(List<Statement> statements, AuthzRequest request) {
    return PolicyEvaluator.evaluate(statements, request).outcome();
  }

  @Test
  void evaluate_shouldDenyImplicitly_whenNoStatementMatches() {
    var decision = PolicyEvaluator.evaluate(List.of(allow("Read", List.of("dynamodb:GetItem"), List.of(TABLE))),
        new AuthzRequest("dynamodb:PutItem", TABLE));

    assertThat(decision.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
    assertThat(decision.statement()).isNull();
    assertThat(outcome(List.of(), new AuthzRequest("dynamodb:GetItem", TABLE))).isEqualTo(Outcome.IMPLICIT_DENY);
  }

  @Test
  void evaluate_shouldAllowAndNameTheStatement_whenActionAndResourceMatch() {
    var decision = PolicyEvaluator.evaluate(List.of(allow("TableStock", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), List.of(TABLE))),
        new AuthzRequest("dynamodb:UpdateItem", TABLE));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.statement().sid()).isEqualTo("TableStock");
  }

  @Test
  void evaluate_shouldLetAnExplicitDenyWin_whenAnAllowAlsoMatches() {
    List<Statement> statements = List.of(
        allow("All", List.of("dynamodb:*"), List.of("*")),
        new Statement("NoDeletes", false, List.of("dynamodb:DeleteItem"), List.of(TABLE), List.of()));

    assertThat(outcome(statements, new AuthzRequest("dynamodb:DeleteItem", TABLE))).isEqualTo(Outcome.EXPLICIT_DENY);
    assertThat(outcome(statements, new AuthzRequest("dynamodb:PutItem", TABLE))).isEqualTo(Outcome.ALLOWED);
  }

  @Test
  void evaluate_shouldMatchStarAndQuestionMark_inActionsCaseInsensitivelyAndInResourcesCaseSensitively() {
    List<Statement> statements = List.of(
        allow("Secret", List.of("SecretsManager:Get*"), List.of("arn:aws:secretsmanager:us-east-1:000000000000:secret:/fanout/payments/provider-??????")),
        allow("Objects", List.of("s3:GetObject"), List.of("arn:aws:s3:::local-orders-imports-000000000000/incoming/*")));

    assertThat(outcome(statements, new AuthzRequest("secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:us-east-1:000000000000:secret:/fanout/payments/provider-AbC123"))).isEqualTo(Outcome.ALLOWED);
    assertThat(outcome(statements, new AuthzRequest("secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:us-east-1:000000000000:secret:/fanout/payments/provider-AbC12"))).isEqualTo(Outcome.IMPLICIT_DENY);
    assertThat(outcome(statements, new AuthzRequest("s3:GetObject",
        "arn:aws:s3:::local-orders-imports-000000000000/incoming/a/b.csv"))).isEqualTo(Outcome.ALLOWED);
    assertThat(outcome(statements, new AuthzRequest("s3:GetObject",
        "arn:aws:s3:::local-orders-imports-000000000000/Incoming/b.csv"))).isEqualTo(Outcome.IMPLICIT_DENY);
  }

  @Test
  void evaluate_shouldRequireEveryCondition_whenPutEventsIsConditionedOnSourceAndDetailType() {
    List<Statement> statements = List.of(allow("PublishOwnEventsOnly", List.of("events:PutEvents"), List.of(BUS),
        new Condition("StringEquals", "events:source", List.of("com.example.inventory")),
        new Condition("StringEquals", "events:detail-type", List.of("InventoryReserved", "OutOfStock"))));

    assertThat(outcome(statements, putEvents("com.example.inventory", "OutOfStock"))).isEqualTo(Outcome.ALLOWED);
    assertThat(outcome(statements, putEvents("com.example.orders", "OutOfStock"))).isEqualTo(Outcome.IMPLICIT_DENY);
    assertThat(outcome(statements, putEvents("com.example.inventory", "InventoryReleased"))).isEqualTo(Outcome.IMPLICIT_DENY);
    assertThat(outcome(statements, new AuthzRequest("events:PutEvents", BUS))).as("keys missing").isEqualTo(Outcome.IMPLICIT_DENY);
  }

  @Test
  void evaluate_shouldTreatMissingKeysAsIamDoes_forIfExistsNegatedAndBoolOperators() {
    assertThat(PolicyEvaluator.holds(new Condition("StringEqualsIfExists", "aws:PrincipalTag/team", List.of("a")), null)).isTrue();
    assertThat(PolicyEvaluator.holds(new Condition("StringNotEquals", "events:source", List.of("a")), null)).isTrue();
    assertThat(PolicyEvaluator.holds(new Condition("StringNotEquals", "events:source", List.of("a")), List.of("a"))).isFalse();
    assertThat(PolicyEvaluator.holds(new Condition("Bool", "aws:SecureTransport", List.of("false")), List.of("true"))).isFalse();
    assertThat(PolicyEvaluator.holds(new Condition("ArnLike", "aws:SourceArn", List.of("arn:aws:sns:*:*:local-*")),
        List.of("arn:aws:sns:us-east-1:000000000000:local-orders-events"))).isTrue();
    assertThat(outcome(List.of(new Statement("DenyInsecure", false, List.of("s3:*"), List.of("*"),
        List.of(new Condition("Bool", "aws:SecureTransport", List.of("false"))))), new AuthzRequest("s3:GetObject", "arn:aws:s3:::b/k",
        Map.of("aws:SecureTransport", List.of("true"))))).isEqualTo(Outcome.IMPLICIT_DENY);
  }

  @Test
  void evaluate_shouldRefuseToGuess_whenAConditionOperatorIsNotEvaluated() {
    assertThatThrownBy(() -> PolicyEvaluator.holds(new Condition("NumericLessThan", "s3:max-keys", List.of("10")), List.of("5")))
        .hasMessageContaining("NumericLessThan is not evaluated by the local runtime");
  }

  private static AuthzRequest putEvents(String source, String type) {
    return new AuthzRequest("events:PutEvents", BUS, Map.of("events:source", List.of(source), "events:detail-type", List.of(type)));
  }
}
