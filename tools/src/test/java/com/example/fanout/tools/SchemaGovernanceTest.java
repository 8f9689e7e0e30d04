package com.example.fanout.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaGovernanceTest {
  private static final String V1 = """
      {"type":"object","required":["orderId","items"],
       "properties":{"orderId":{"type":"string"},"items":{"type":"array","items":{"type":"object","required":["sku"],"properties":{"sku":{"type":"string"}}}},
                     "note":{"type":"string"},"channel":{"enum":["web","mobile"]}}}
      """;
  @TempDir Path repo;
  SchemaGovernance governance;

  @BeforeEach
  void publishV1() throws IOException {
    write("OrderPlaced.v1.json", V1);
    governance = new SchemaGovernance(repo);
    assertThat(governance.recordNewVersions()).containsExactly("services/orders/schemas/OrderPlaced.v1.json");
  }

  @Test
  void repository_shouldFollowEverySchemaRule() {
    assertThat(new SchemaGovernance(Repo.root()).check()).isEmpty();
  }

  @Test
  void check_shouldFail_whenAPublishedVersionIsEditedInPlace() throws IOException {
    write("OrderPlaced.v1.json", V1.replace("\"note\"", "\"remark\""));

    assertThat(governance.check()).singleElement().asString()
        .contains("services/orders/schemas/OrderPlaced.v1.json: published schema version was edited in place");
  }

  @Test
  void check_shouldFail_whenAPublishedVersionIsDeleted() throws IOException {
    Files.delete(repo.resolve("services/orders/schemas/OrderPlaced.v1.json"));

    assertThat(governance.check()).singleElement().asString().contains("was deleted");
  }

  @Test
  void check_shouldFail_whenANewVersionIsNotRecorded() throws IOException {
    write("OrderPlaced.v2.json", V1);

    assertThat(governance.check()).singleElement().asString().contains("OrderPlaced.v2.json: not recorded in schemas.lock");
  }

  @Test
  void check_shouldPass_whenANewVersionOnlyAddsAnOptionalField() throws IOException {
    write("OrderPlaced.v2.json", V1.replace("\"note\":{\"type\":\"string\"}", "\"note\":{\"type\":\"string\"},\"giftWrap\":{\"type\":\"boolean\"}"));
    governance.recordNewVersions();

    assertThat(governance.check()).isEmpty();
  }

  @Test
  void check_shouldReportEachBreakingChange_whenANewVersionIsIncompatible() throws IOException {
    String v2 = V1
        .replace("\"required\":[\"orderId\",\"items\"]", "\"required\":[\"items\",\"customerId\"]")
        .replace("\"sku\":{\"type\":\"string\"}", "\"sku\":{\"type\":\"integer\"}")
        .replace("\"enum\":[\"web\",\"mobile\"]", "\"enum\":[\"web\"]");
    write("OrderPlaced.v2.json", v2);
    governance.recordNewVersions();

    assertThat(governance.check()).extracting(p -> p.substring(p.lastIndexOf(": ", p.lastIndexOf(": ") - 1) + 2))
        .containsExactlyInAnyOrder(
            "$.orderId: required field removed (or made optional)",
            "$.customerId: new required field",
            "$.items[].sku: type changed from [string] to [integer]",
            "$.channel: enum value \"mobile\" removed");
  }

  @Test
  void check_shouldFail_whenVersionsSkipANumber() throws IOException {
    write("OrderPlaced.v3.json", V1);
    governance.recordNewVersions();

    assertThat(governance.check()).singleElement().asString().contains("version 3 follows version 1");
  }

  private void write(String name, String content) throws IOException {
    Path dir = Files.createDirectories(repo.resolve("services/orders/schemas"));
    Files.writeString(dir.resolve(name), content);
  }
}
