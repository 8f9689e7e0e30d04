package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SNS's rules for filter policies in message-body scope, one test per rule and limit, written from
 * the Amazon SNS Developer Guide:
 * <ul>
 *   <li>"Filter policy constraints in Amazon SNS" https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
 *       (keys, complexity, size, numeric range, JSON value kinds)</li>
 *   <li>"String value matching" https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
 *       (anything-but and the operators allowed inside it)</li>
 *   <li>"Numeric value matching" https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html</li>
 *   <li>"IP address matching" https://docs.aws.amazon.com/sns/latest/dg/ip-address-matching.html</li>
 *   <li>"Key matching" https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html</li>
 *   <li>"AND/OR logic" https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html</li>
 * </ul>
 * The reasons' wording follows the {@code InvalidParameter} messages SNS returns to {@code Subscribe}.
 */
class FilterPoliciesTest {

  @Test
  void validate_shouldAcceptFiveTopLevelKeys_andRefuseASixth() {
    String five = "{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1]";
    assertThat(FilterPolicies.validate(json(five + "}"))).isEmpty();
    assertThat(FilterPolicies.validate(json(five + ",\"f\":[1]}")))
        .containsExactly("FilterPolicy: Filter policy can not have more than 5 keys");
  }

  @Test
  void validate_shouldCountOnlyTopLevelKeys_whenKeysAreNested() {
    // The guide's payload-based example: state, severity, message and finding are counted; the three keys under finding are not.
    JsonNode policy = json("{\"state\":[\"SUCCESS\"],\"severity\":[{\"exists\":true}],\"message\":[{\"exists\":true}],"
        + "\"finding\":{\"standard_control\":[{\"exists\":true}],\"region\":[{\"exists\":true}],\"account\":[{\"exists\":true}]}}");
    assertThat(FilterPolicies.validate(policy)).isEmpty();
  }

  @Test
  void combinations_shouldMultiplyTheValuesOfEachArray_whenThePolicyIsFlat() {
    // The guide's example: 3 x 1 x 2 = 6.
    assertThat(FilterPolicies.combinations(json(
        "{\"key_a\":[\"value_one\",\"value_two\",\"value_three\"],\"key_b\":[\"value_one\"],\"key_c\":[\"value_one\",\"value_two\"]}")))
        .isEqualTo(6);
  }

  @Test
  void combinations_shouldMultiplyByTheNestingDepth_whenKeysAreNested() {
    // The guide's nested example: four values three levels deep, three values two levels deep: 3 x 4 x 2 x 3 = 72.
    assertThat(FilterPolicies.combinations(json("{\"key_a\":{\"key_b\":{\"key_c\":[\"v1\",\"v2\",\"v3\",\"v4\"]}},"
        + "\"key_d\":{\"key_e\":[\"v1\",\"v2\",\"v3\"]}}"))).isEqualTo(72);
  }

  @Test
  void validate_shouldRefuseANestedPolicy_whenItsDepthWeightedCountIsOver150EvenThoughItsFlatCountIsNot() {
    // 4 values at depth 3, 3 at depth 2, 3 at depth 1: 12 x 6 x 3 = 216 (a plain product would give 36).
    JsonNode policy = json("{\"a\":{\"b\":{\"c\":[1,2,3,4]}},\"d\":{\"e\":[1,2,3]},\"f\":[1,2,3]}");
    assertThat(FilterPolicies.combinations(policy)).isEqualTo(216);
    assertThat(FilterPolicies.validate(policy)).singleElement().asString()
        .startsWith("FilterPolicy: Filter policy is too complex").contains("216");
  }

  @Test
  void validate_shouldAcceptExactly150Combinations() {
    JsonNode policy = json("{\"a\":" + values(15) + ",\"b\":" + values(10) + "}");
    assertThat(FilterPolicies.combinations(policy)).isEqualTo(150);
    assertThat(FilterPolicies.validate(policy)).isEmpty();
    assertThat(FilterPolicies.validate(json("{\"a\":" + values(151) + "}"))).singleElement().asString().contains("too complex");
  }

  @Test
  void combinations_shouldAddTheBranchesOfOr() {
    // {"source":[1 value], "$or":[{2 values}, {3 values}]}: 1 x (2 + 3) = 5.
    assertThat(FilterPolicies.combinations(json("{\"source\":[\"aws.cloudwatch\"],"
        + "\"$or\":[{\"metricName\":[\"CPUUtilization\",\"ReadLatency\"]},{\"namespace\":[\"AWS/EC2\",\"AWS/ES\",\"AWS/RDS\"]}]}"))).isEqualTo(5);
  }

  @Test
  void validate_shouldAcceptOr_andRefuseOrWithFewerThanTwoObjects() {
    assertThat(FilterPolicies.validate(json("{\"source\":[\"aws.cloudwatch\"],"
        + "\"$or\":[{\"metricName\":[\"CPUUtilization\"]},{\"namespace\":[\"AWS/EC2\"]}]}"))).isEmpty();
    assertThat(FilterPolicies.validate(json("{\"$or\":[{\"a\":[1]}]}"))).singleElement().asString().contains("$or must be an array");
  }

  @Test
  void validate_shouldAcceptKeysWithDots() {
    assertThat(FilterPolicies.validate(json("{\"detail.data.channel\":[\"web\"]}"))).isEmpty();
  }

  @Test
  void validate_shouldRefuseAPolicyOver256KB() {
    String big = "x".repeat(FilterPolicies.MAX_POLICY_BYTES);
    assertThat(FilterPolicies.validate(json("{\"a\":[\"" + big + "\"]}"))).singleElement().asString()
        .startsWith("FilterPolicy: Filter policy is too large");
  }

  @Test
  void validate_shouldRefuseNumbersOutsidePlusMinusOneBillion() {
    assertThat(FilterPolicies.validate(json("{\"price\":[{\"numeric\":[\"<\",1000000000]}]}"))).isEmpty();
    assertThat(FilterPolicies.validate(json("{\"price\":[{\"numeric\":[\"<\",1000000001]}]}"))).singleElement().asString()
        .contains("outside SNS's range");
    assertThat(FilterPolicies.validate(json("{\"price\":[-1000000001]}"))).singleElement().asString().contains("outside SNS's range");
  }

  @Test
  void validate_shouldAcceptStringsNumbersTrueFalseAndNull_andRefuseNestedArrays() {
    assertThat(FilterPolicies.validate(json("{\"a\":[\"s\",1,2.5,true,false,null]}"))).isEmpty();
    assertThat(FilterPolicies.validate(json("{\"a\":[[\"s\"]]}")))
        .containsExactly("FilterPolicy: Match value must be String, number, true, false, or null");
  }

  @Test
  void validate_shouldRefuseEmptyArrays() {
    assertThat(FilterPolicies.validate(json("{\"a\":[]}"))).containsExactly("FilterPolicy: Empty arrays are not allowed");
  }

  @Test
  void validate_shouldRefuseAKeyWhoseValueIsNeitherAnArrayNorAnObject() {
    assertThat(FilterPolicies.validate(json("{\"store\":\"example_corp\"}")))
        .containsExactly("FilterPolicy: \"store\" must be an object or an array");
  }

  @Test
  void validate_shouldRefuseAMatchExpressionWithTwoOperators() {
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"prefix\":\"x\",\"suffix\":\"y\"}]}")))
        .containsExactly("FilterPolicy: Only one key allowed in match expression");
  }

  @Test
  void validate_shouldRefuseAnOperatorSnsDoesNotKnow() {
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"wildcard\":\"x*\"}]}")))
        .containsExactly("FilterPolicy: Unrecognized match type wildcard");
  }

  @Test
  void validate_shouldRequireStringsForPrefixSuffixAndEqualsIgnoreCase() {
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"prefix\":\"bas\"},{\"suffix\":\"ball\"},{\"equals-ignore-case\":\"TeNnIs\"}]}")))
        .isEmpty();
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"prefix\":1}]}"))).containsExactly("FilterPolicy: prefix match pattern must be a string");
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"suffix\":1}]}"))).containsExactly("FilterPolicy: suffix match pattern must be a string");
  }

  @Test
  void validate_shouldAcceptAnythingButWithValuesOrPrefix_andRefuseOtherOperatorsInsideIt() {
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"anything-but\":[\"rugby\",\"tennis\"]}],\"b\":[{\"anything-but\":100}],"
        + "\"c\":[{\"anything-but\":{\"prefix\":\"order-\"}}]}"))).isEmpty();
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"anything-but\":{\"suffix\":\"ball\"}}]}")))
        .containsExactly("FilterPolicy: Unsupported anything-but pattern: suffix");
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"anything-but\":{\"equals-ignore-case\":\"x\"}}]}")))
        .containsExactly("FilterPolicy: Unsupported anything-but pattern: equals-ignore-case");
  }

  @Test
  void validate_shouldRequireABooleanForExists() {
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"exists\":true}],\"b\":[{\"exists\":false}]}"))).isEmpty();
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"exists\":\"yes\"}]}")))
        .containsExactly("FilterPolicy: exists match pattern must be either true or false.");
  }

  @Test
  void validate_shouldAcceptNumericComparisonsAndRanges_andRefuseMalformedOnes() {
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"numeric\":[\"=\",301.5]}],\"b\":[{\"numeric\":[\">\",0,\"<=\",150]}]}")))
        .isEmpty();
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"numeric\":[\">\",150,\"<=\",0]}]}")))
        .containsExactly("FilterPolicy: Bottom must be less than top");
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"numeric\":[\"!=\",1]}]}")))
        .containsExactly("FilterPolicy: Unrecognized numeric range operator: !=");
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"numeric\":[\"<\",\"five\"]}]}")))
        .containsExactly("FilterPolicy: Value of < must be numeric");
    assertThat(FilterPolicies.validate(json("{\"a\":[{\"numeric\":[\"<\",5,\">\",1]}]}")))
        .containsExactly("FilterPolicy: Too many elements in numeric expression");
  }

  @Test
  void validate_shouldAcceptCidrBlocks_andRefuseMalformedOnes() {
    assertThat(FilterPolicies.validate(json("{\"source_ip\":[{\"cidr\":\"10.0.0.0/24\"},{\"cidr\":\"2001:db8::/32\"}]}"))).isEmpty();
    assertThat(FilterPolicies.validate(json("{\"source_ip\":[{\"cidr\":\"10.0.0.0\"}]}")))
        .containsExactly("FilterPolicy: Malformed CIDR, one '/' required");
    assertThat(FilterPolicies.validate(json("{\"source_ip\":[{\"cidr\":\"10.0.0.0/x\"}]}")))
        .containsExactly("FilterPolicy: Malformed CIDR, mask bits must be an integer");
    assertThat(FilterPolicies.validate(json("{\"source_ip\":[{\"cidr\":\"10.0.0.300/24\"}]}")))
        .containsExactly("FilterPolicy: Nonstandard IP address: 10.0.0.300");
  }

  @Test
  void requireValid_shouldThrowSnsInvalidParameter_whenSnsWouldRefuseThePolicy() {
    assertThatThrownBy(() -> FilterPolicies.requireValid(json("{\"a\":[]}")))
        .isInstanceOfSatisfying(InvalidFilterPolicyException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("InvalidParameter");
          assertThat(e.getMessage()).isEqualTo("Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed");
        });
  }

  @Test
  void catalog_shouldReportTheConsumersFilter_whenTheMergedSubscriptionPolicyIsTooComplex() {
    // 25 channels two levels below detail: 25 x 3 = 75 for the filter, x 2 for the two types = 150: accepted.
    // One more type: 75 x 3 = 225: refused, although the filter alone is fine.
    String filter = "filter: { detail: { data: { channel: " + values(25) + " } } }";
    assertThat(Catalog.of(List.of(publisher(), consumer("[OrderPlaced, OrderCancelled]", filter))).services()).hasSize(2);
    assertThatThrownBy(() -> Catalog.of(List.of(publisher(), consumer("[OrderPlaced, OrderCancelled, OrderShipped]", filter))))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("audit/service.yaml: consumers[0].filter: SNS would refuse the subscription to orders's topic: "
            + "FilterPolicy: Filter policy is too complex (225 combinations");
  }

  private static ServiceManifest publisher() {
    return ManifestLoader.parse("orders.yaml", """
        service: orders
        source: com.example.orders
        description: t
        owner: t
        publishes:
          - { type: OrderPlaced, version: 1, schema: schemas/OrderPlaced.v1.json }
          - { type: OrderCancelled, version: 1, schema: schemas/OrderCancelled.v1.json }
          - { type: OrderShipped, version: 1, schema: schemas/OrderShipped.v1.json }
        """, null);
  }

  private static ServiceManifest consumer(String on, String filter) {
    return ManifestLoader.parse("audit.yaml", """
        service: audit
        source: com.example.audit
        description: t
        owner: t
        consumers:
          - name: orders
            handler: com.example.audit.Handler
            "on": %s
            %s
            batch: { size: 1 }
            function: { memory_mb: 512, timeout_seconds: 10, reserved_concurrency: 2 }
            queue: { visibility_timeout_seconds: 60, max_receive_count: 3 }
        """.formatted(on, filter), null);
  }

  private static String values(int n) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ",").append('"').append("v").append(i).append('"');
    }
    return s.append(']').toString();
  }

  private static JsonNode json(String text) {
    return EventJson.parse(text);
  }
}
