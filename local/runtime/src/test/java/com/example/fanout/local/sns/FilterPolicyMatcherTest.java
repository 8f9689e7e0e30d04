package com.example.fanout.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.event.EventJson;
import com.example.fanout.manifest.InvalidFilterPolicyException;
import org.junit.jupiter.api.Test;

/**
 * How SNS matches message bodies against filter policies ({@code FilterPolicyScope = MessageBody}),
 * one test per operator, with the policies and bodies of the Amazon SNS Developer Guide:
 * "String value matching" (string-value-matching.html), "Numeric value matching"
 * (numeric-value-matching.html), "IP address matching" (ip-address-matching.html), "Key matching"
 * (attribute-key-matching.html), "AND/OR logic" (and-or-logic.html) and "Filter policy
 * constraints" (subscription-filter-policy-constraints.html: matching is case-sensitive), all under
 * https://docs.aws.amazon.com/sns/latest/dg/.
 */
class FilterPolicyMatcherTest {

  @Test
  void exactMatching_shouldMatchAnyListedValue_andBeCaseSensitive() {
    String policy = "{\"customer_interests\":[\"rugby\",\"tennis\"]}";
    assertThat(matches(policy, "{\"customer_interests\":\"rugby\"}")).isTrue();
    assertThat(matches(policy, "{\"customer_interests\":\"tennis\"}")).isTrue();
    assertThat(matches(policy, "{\"customer_interests\":\"baseball\"}")).isFalse();
    assertThat(matches(policy, "{\"customer_interests\":\"Rugby\"}")).isFalse();
  }

  @Test
  void exactMatching_shouldMatchAnArrayBody_whenOneOfItsElementsMatches() {
    assertThat(matches("{\"customer_interests\":[\"rugby\"]}", "{\"customer_interests\":[\"baseball\",\"rugby\"]}")).isTrue();
  }

  @Test
  void anythingBut_shouldMatchEveryOtherValue() {
    String policy = "{\"customer_interests\":[{\"anything-but\":[\"rugby\",\"tennis\"]}]}";
    assertThat(matches(policy, "{\"customer_interests\":\"baseball\"}")).isTrue();
    assertThat(matches(policy, "{\"customer_interests\":[\"rugby\",\"baseball\"]}")).as("an element that is neither").isTrue();
    assertThat(matches(policy, "{\"customer_interests\":\"rugby\"}")).isFalse();
    assertThat(matches("{\"price\":[{\"anything-but\":[100,500]}]}", "{\"price\":100.1}")).isTrue();
    assertThat(matches("{\"price\":[{\"anything-but\":[100,500]}]}", "{\"price\":100}")).isFalse();
  }

  @Test
  void anythingButPrefix_shouldMatchValuesWithoutThePrefix() {
    String policy = "{\"event\":[{\"anything-but\":{\"prefix\":\"order-\"}}]}";
    assertThat(matches(policy, "{\"event\":\"data-entry\"}")).isTrue();
    assertThat(matches(policy, "{\"event\":\"order-cancelled\"}")).isFalse();
  }

  @Test
  void prefixSuffixAndEqualsIgnoreCase_shouldMatchAsDocumented() {
    assertThat(matches("{\"customer_interests\":[{\"prefix\":\"bas\"}]}", "{\"customer_interests\":\"baseball\"}")).isTrue();
    assertThat(matches("{\"customer_interests\":[{\"prefix\":\"bas\"}]}", "{\"customer_interests\":\"rugby\"}")).isFalse();
    assertThat(matches("{\"customer_interests\":[{\"suffix\":\"ball\"}]}", "{\"customer_interests\":\"baseball\"}")).isTrue();
    assertThat(matches("{\"customer_interests\":[{\"suffix\":\"ball\"}]}", "{\"customer_interests\":\"rugby\"}")).isFalse();
    assertThat(matches("{\"customer_interests\":[{\"equals-ignore-case\":\"tennis\"}]}", "{\"customer_interests\":\"TeNnIs\"}")).isTrue();
    assertThat(matches("{\"customer_interests\":[{\"equals-ignore-case\":\"tennis\"}]}", "{\"customer_interests\":\"rugby\"}")).isFalse();
  }

  @Test
  void numericMatching_shouldCompareValuesNotText() {
    assertThat(matches("{\"price_usd\":[{\"numeric\":[\"=\",301.5]}]}", "{\"price_usd\":3.015e2}")).isTrue();
    String range = "{\"price_usd\":[{\"numeric\":[\">\",0,\"<=\",150]}]}";
    assertThat(matches(range, "{\"price_usd\":150}")).isTrue();
    assertThat(matches(range, "{\"price_usd\":0}")).isFalse();
    assertThat(matches(range, "{\"price_usd\":150.5}")).isFalse();
    assertThat(matches(range, "{\"price_usd\":\"100\"}")).as("a string is not a number").isFalse();
  }

  @Test
  void cidr_shouldMatchAddressesInTheBlock() {
    String policy = "{\"source_ip\":[{\"cidr\":\"10.0.0.0/24\"}]}";
    assertThat(matches(policy, "{\"source_ip\":\"10.0.0.255\"}")).isTrue();
    assertThat(matches(policy, "{\"source_ip\":\"10.0.1.1\"}")).isFalse();
  }

  @Test
  void existsTrue_shouldNeedANonNullNonEmptyValue() {
    String policy = "{\"store\":[{\"exists\":true}]}";
    assertThat(matches(policy, "{\"store\":\"fans\"}")).isTrue();
    assertThat(matches(policy, "{\"store\":0}")).isTrue();
    assertThat(matches(policy, "{\"store\":null}")).as("SNS: the key must have a non-null value").isFalse();
    assertThat(matches(policy, "{\"store\":\"\"}")).as("SNS: ... and a non-empty value").isFalse();
    assertThat(matches(policy, "{\"customer_interests\":[\"baseball\",\"basketball\"]}")).isFalse();
  }

  @Test
  void existsFalse_shouldMatchOnlyWhenTheKeyIsAbsent() {
    String policy = "{\"store\":[{\"exists\":false}]}";
    assertThat(matches(policy, "{\"customer_interests\":[\"baseball\",\"basketball\"]}")).isTrue();
    assertThat(matches(policy, "{\"store\":\"fans\"}")).isFalse();
  }

  @Test
  void nullValue_shouldMatchANullInTheBody() {
    assertThat(matches("{\"store\":[null]}", "{\"store\":null}")).isTrue();
    assertThat(matches("{\"store\":[null]}", "{\"store\":\"fans\"}")).isFalse();
  }

  @Test
  void keys_shouldBeAndedAndValuesOred() {
    String policy = "{\"customer_interests\":[\"rugby\",\"tennis\"],\"price_usd\":[{\"numeric\":[\">\",100]}]}";
    assertThat(matches(policy, "{\"customer_interests\":\"tennis\",\"price_usd\":210.75}")).isTrue();
    assertThat(matches(policy, "{\"customer_interests\":\"tennis\",\"price_usd\":10}")).isFalse();
  }

  @Test
  void or_shouldMatchWhenAnyBranchMatches() {
    String policy = "{\"source\":[\"aws.cloudwatch\"],\"$or\":[{\"metricName\":[\"CPUUtilization\"]},{\"namespace\":[\"AWS/EC2\"]}]}";
    assertThat(matches(policy, "{\"source\":\"aws.cloudwatch\",\"metricName\":\"CPUUtilization\"}")).isTrue();
    assertThat(matches(policy, "{\"source\":\"aws.cloudwatch\",\"namespace\":\"AWS/EC2\"}")).isTrue();
    assertThat(matches(policy, "{\"source\":\"aws.cloudwatch\",\"namespace\":\"AWS/RDS\"}")).isFalse();
    assertThat(matches(policy, "{\"source\":\"aws.s3\",\"metricName\":\"CPUUtilization\"}")).isFalse();
  }

  @Test
  void nestedKeys_shouldMatchTheNestedProperty() {
    String policy = "{\"detail\":{\"data\":{\"channel\":[\"web\"]}}}";
    assertThat(matches(policy, "{\"detail\":{\"data\":{\"channel\":\"web\"}}}")).isTrue();
    assertThat(matches(policy, "{\"detail\":{\"data\":{\"channel\":\"mobile\"}}}")).isFalse();
  }

  @Test
  void dotKeys_shouldMatchTheNestedPath() {
    String policy = "{\"detail.data.channel\":[\"web\"]}";
    assertThat(matches(policy, "{\"detail\":{\"data\":{\"channel\":\"web\"}}}")).isTrue();
    assertThat(matches(policy, "{\"detail\":{\"data\":{\"channel\":\"mobile\"}}}")).isFalse();
  }

  @Test
  void matches_shouldMatchNothing_whenTheBodyIsNotJson() {
    FilterPolicyMatcher matcher = new FilterPolicyMatcher();
    matcher.add("anything", EventJson.parse("{\"store\":[{\"exists\":false}]}"));
    assertThat(matcher.matches("not json {")).isEmpty();
    assertThat(matcher.matches("\"a JSON string\"")).isEmpty();
  }

  @Test
  void add_shouldRefuseAPolicySnsWouldRefuse_evenWhenEventRulerCouldCompileIt() {
    FilterPolicyMatcher matcher = new FilterPolicyMatcher();
    assertThatThrownBy(() -> matcher.add("c", EventJson.parse("{\"a\":[{\"anything-but\":{\"suffix\":\"x\"}}]}")))
        .isInstanceOf(InvalidFilterPolicyException.class)
        .hasMessage("Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: suffix");
  }

  private static boolean matches(String policy, String body) {
    FilterPolicyMatcher matcher = new FilterPolicyMatcher();
    matcher.add("subscription", EventJson.parse(policy));
    return matcher.matches(body).contains("subscription");
  }
}
