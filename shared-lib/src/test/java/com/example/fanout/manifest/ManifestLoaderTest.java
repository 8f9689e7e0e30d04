package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fanout.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {
  private static final String VALID = """
      service: inventory
      source: com.example.inventory
      description: test
      owner: team-inventory
      publishes:
        - type: InventoryReserved
          version: 1
          schema: schemas/InventoryReserved.v1.json
      consumers:
        - name: reserve-stock
          handler: com.example.inventory.handler.ReserveStockHandler
          "on": [OrderPlaced]
          filter: { detail: { data: { channel: [web, mobile] } } }
          batch: { size: 10, window_seconds: 1, max_concurrency: 5 }
          function: { memory_mb: 1024, timeout_seconds: 20, reserved_concurrency: 20 }
          queue: { visibility_timeout_seconds: 120, max_receive_count: 5 }
      tables:
        - name: stock
          key: { partition: sku }
      """;

  @Test
  void parse_shouldReadEveryField_whenTheManifestIsValid() {
    ServiceManifest m = ManifestLoader.parse("service.yaml", VALID, null);

    var consumer = m.consumers().get(0);
    assertThat(consumer.on()).containsExactly("OrderPlaced");
    assertThat(consumer.batch()).isEqualTo(new ServiceManifest.Batch(10, 1, 5));
    assertThat(consumer.queue().visibilityTimeoutSeconds()).isEqualTo(120);
    assertThat(consumer.filter().at("/detail/data/channel/1").asText()).isEqualTo("mobile");
    assertThat(m.tables()).containsExactly(new ServiceManifest.Table("stock", "sku", null, null, null));
  }

  @Test
  void parse_shouldReadIdempotency_defaultRecords_andRefuseNoneForAConsumerThatPublishes() {
    String none = VALID.replace("queue: { visibility_timeout_seconds: 120, max_receive_count: 5 }",
        "queue: { visibility_timeout_seconds: 120, max_receive_count: 5 }\n    idempotency: none");

    assertThat(ManifestLoader.parse("service.yaml", VALID, null).consumers().get(0).idempotency())
        .isEqualTo(ServiceManifest.Idempotency.RECORDS);
    assertThat(ManifestLoader.parse("service.yaml", none, null).consumers().get(0).idempotency())
        .isEqualTo(ServiceManifest.Idempotency.NONE);
    assertThat(problems(none.replace("idempotency: none", "idempotency: maybe")))
        .containsExactly("inventory.yaml: consumers[0].idempotency: must be records or none, was 'maybe'");
    String publishing = none.replace("reserved_concurrency: 20 }",
        "reserved_concurrency: 20, access: { publishes: [InventoryReserved] } }");
    assertThat(problems(publishing)).containsExactly("inventory.yaml: consumers[0].idempotency: none is for consumers that emit"
        + " nothing: this one publishes [InventoryReserved], whose re-emission on a redelivery needs the records");
  }

  @Test
  void parse_shouldReportFilePathAndReason_whenVisibilityTimeoutIsBelowSixTimesTheFunctionTimeout() {
    assertThat(problems(VALID.replace("visibility_timeout_seconds: 120", "visibility_timeout_seconds: 60")))
        .containsExactly("inventory.yaml: consumers[0].queue.visibility_timeout_seconds: 60 is less than 6 x function.timeout_seconds (120)");
  }

  @Test
  void parse_shouldReportBatchSizeOutOfRange_whenAboveTheAwsMaximum() {
    assertThat(problems(VALID.replace("size: 10,", "size: 20000,")))
        .containsExactly("inventory.yaml: consumers[0].batch.size: 20000 is out of range 1..10000");
    assertThat(problems(VALID.replace("size: 10, window_seconds: 1", "size: 50, window_seconds: 0")))
        .containsExactly("inventory.yaml: consumers[0].batch.window_seconds: must be at least 1 when size is above 10 (AWS rule for SQS event sources)");
  }

  private static final String WITH_STREAM = VALID.replace("    key: { partition: sku }\n",
      "    key: { partition: sku }\n    stream: NEW_AND_OLD_IMAGES\n") + """
      streams:
        - name: relay
          handler: com.example.inventory.handler.RelayHandler
          table: stock
          filter: ['{"eventName": ["INSERT"]}']
          parallelization_factor: 4
          batch: { size: 100, window_seconds: 0 }
          function: { memory_mb: 512, timeout_seconds: 30, reserved_concurrency: 5 }
      """;

  @Test
  void parse_shouldReadStreamFilterAndParallelization_whenTheStreamDeclaresThem() {
    var stream = ManifestLoader.parse("service.yaml", WITH_STREAM, null).streams().getFirst();

    assertThat(stream.filters()).hasSize(1);
    assertThat(stream.filters().getFirst().at("/eventName/0").asText()).isEqualTo("INSERT");
    assertThat(stream.parallelizationFactor()).isEqualTo(4);
  }

  @Test
  void parse_shouldReportTheFilter_whenAPatternIsNotAJsonObjectOrTheFactorIsOutOfRange() {
    assertThat(problems(WITH_STREAM.replace("['{\"eventName\": [\"INSERT\"]}']", "['eventName: INSERT']")))
        .containsExactly("inventory.yaml: streams[0].filter[0]: must be a non-empty JSON event pattern in a string, was \"eventName: INSERT\"");
    assertThat(problems(WITH_STREAM.replace("parallelization_factor: 4", "parallelization_factor: 11")))
        .containsExactly("inventory.yaml: streams[0].parallelization_factor: 11 is out of range 1..10");
  }

  @Test
  void parse_shouldReportDuplicateConsumerNames_whenTwoConsumersShareOne() {
    String twice = VALID.replace("\ntables:", "\n" + """
            - name: reserve-stock
              handler: com.example.inventory.handler.Other
              "on": [PaymentFailed]
              batch: { size: 10 }
              function: { memory_mb: 512, timeout_seconds: 10, reserved_concurrency: 2 }
              queue: { visibility_timeout_seconds: 60, max_receive_count: 3 }
          tables:""");

    assertThat(problems(twice)).singleElement().asString()
        .startsWith("inventory.yaml: consumers[1].name: duplicate name 'reserve-stock'");
  }

  @Test
  void parse_shouldReportEveryProblemAtOnce_whenSeveralFieldsAreWrong() {
    String broken = VALID
        .replace("memory_mb: 1024", "memory_mb: 64")
        .replace("\"on\": [OrderPlaced]", "\"on\": [order_placed]")
        .replace("owner: team-inventory", "owner: team-inventory\nsurprise: true")
        .replace("max_concurrency: 5", "max_concurrency: 50");

    assertThat(problems(broken)).containsExactlyInAnyOrder(
        "inventory.yaml: surprise: unknown key (allowed: buckets, consumers, description, http, owner, publishes, schedules, secrets, service, source, streams, tables)",
        "inventory.yaml: consumers[0].on[0]: must be a PascalCase event type, was \"order_placed\"",
        "inventory.yaml: consumers[0].function.memory_mb: 64 is out of range 128..10240",
        "inventory.yaml: consumers[0].batch.max_concurrency: 50 is above function.reserved_concurrency (20): the mapping would be throttled");
  }

  @Test
  void parse_shouldRejectWithFileAndLine_whenAKeyIsABareYaml11Boolean() {
    // Terraform's yamldecode (YAML 1.1) reads a bare on as the boolean true: every plan would fail.
    String bare = VALID.replace("\"on\": [OrderPlaced]", "on: [OrderPlaced]");

    assertThat(problems(bare)).containsExactly(
        "inventory.yaml:12: key on is a boolean in YAML 1.1 (Terraform's yamldecode) but a string in YAML 1.2: quote it (\"on\")");
  }

  @Test
  void parse_shouldRejectEveryAmbiguousScalar_whenValuesReadDifferentlyInYaml11() {
    String ambiguous = VALID
        .replace("channel: [web, mobile]", "channel: [web, yes]")
        .replace("owner: team-inventory", "owner: 010");

    assertThat(problems(ambiguous)).containsExactlyInAnyOrder(
        "inventory.yaml:4: value 010 has a leading zero: octal in YAML 1.1, decimal in YAML 1.2 (parsers disagree): quote it (\"010\")",
        "inventory.yaml:13: value yes is a boolean in YAML 1.1 (Terraform's yamldecode) but a string in YAML 1.2: quote it (\"yes\")",
        // Jackson reads 010 as octal 8, Terraform's yamldecode as 10: the parsers disagree indeed.
        "inventory.yaml: owner: must be a non-empty string, was 8");
  }

  @Test
  void parse_shouldRejectFilters_whenSnsWouldRejectThem() {
    assertThat(problems(VALID.replace("channel: [web, mobile]", "channel: [{ wildcard: \"w*\" }]")))
        .singleElement().asString().contains("FilterPolicy: Unrecognized match type wildcard");
    assertThat(problems(VALID.replace("{ detail: { data: { channel: [web, mobile] } } }", "{ detail-type: [Other] }")))
        .singleElement().asString().contains("must not set detail-type");
  }

  @Test
  void parse_shouldReportSchemaFileNaming_whenItDoesNotFollowTheConvention(@TempDir Path dir) throws Exception {
    Path service = Files.createDirectories(dir.resolve("inventory"));
    Files.writeString(service.resolve("service.yaml"), VALID.replace("schemas/InventoryReserved.v1.json", "schemas/reserved.json"));

    assertThatThrownBy(() -> ManifestLoader.load(service.resolve("service.yaml")))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("publishes[0].schema: must be 'schemas/InventoryReserved.v1.json'");
  }

  @Test
  void load_shouldReportMissingSchemaFile_whenTheFileIsAbsent(@TempDir Path dir) throws Exception {
    Path service = Files.createDirectories(dir.resolve("inventory"));
    Files.writeString(service.resolve("service.yaml"), VALID);

    assertThatThrownBy(() -> ManifestLoader.load(service.resolve("service.yaml")))
        .hasMessageContaining("publishes[0].schema: file schemas/InventoryReserved.v1.json does not exist");
  }

  @Test
  void missingHandlers_shouldNameTheEntry_whenTheHandlerClassIsNotOnTheClassPath() {
    ServiceManifest m = ManifestLoader.parse("inventory.yaml", VALID, null);

    assertThat(ManifestLoader.missingHandlers(m, "inventory.yaml", getClass().getClassLoader()))
        .extracting(ManifestProblem::toString)
        .containsExactly("inventory.yaml: consumers[0].handler: handler class com.example.inventory.handler.ReserveStockHandler not found on the class path");
  }

  @Test
  void parse_shouldReadSecretNames_andRejectMalformedOrRepeatedOnes() {
    assertThat(ManifestLoader.parse("inventory.yaml", VALID + "secrets: [/fanout/inventory/supplier-api]\n", null).secrets())
        .containsExactly("/fanout/inventory/supplier-api");
    assertThat(problems(VALID + "secrets: [\"has space\", /a, /a]\n")).containsExactly(
        "inventory.yaml: secrets[0]: \"has space\" does not match ^[A-Za-z0-9/_+=.@-]{1,512}$",
        "inventory.yaml: secrets[2]: lists '/a' twice");
  }

  @Test
  void parse_shouldReportYamlSyntax_whenTheFileIsNotYaml() {
    assertThatThrownBy(() -> ManifestLoader.parse("x.yaml", "service: [unclosed", null))
        .isInstanceOf(InvalidManifestException.class).hasMessageContaining("x.yaml: not valid YAML");
  }

  @Test
  void referenceManifests_shouldAllLoad_whenReadFromTheRepository() {
    Catalog catalog = Catalog.load(Repo.services());

    assertThat(catalog.services()).extracting(ServiceManifest::service)
        .containsExactly("fulfillment", "inventory", "notifications", "orders", "payments", "reporting");
  }

  private static List<String> problems(String yaml) {
    try {
      ManifestLoader.parse("inventory.yaml", yaml, null);
    } catch (InvalidManifestException e) {
      return e.problems().stream().map(ManifestProblem::toString).toList();
    }
    return List.of();
  }

  private static final String HTTP = """
      http:
        - name: api
          handler: com.example.inventory.handler.StockApiHandler
          routes: ["PUT /stock/{sku}", "GET /stock/{sku}"]
          function: { memory_mb: 512, timeout_seconds: 10, reserved_concurrency: 5 }
          authorization:
            type: jwt
            scopes: { "PUT /stock/{sku}": [stock/write], "GET /stock/{sku}": [stock/read, stock/admin] }
      """;

  @Test
  void parse_shouldReadScopesPerRoute_whenAnHttpApiUsesJwtAuthorization() {
    ServiceManifest m = ManifestLoader.parse("service.yaml", VALID + HTTP, null);

    var api = m.http().get(0);
    assertThat(api.authorization().type()).isEqualTo("jwt");
    assertThat(api.authorization().scopesOf(api.routes().get(0))).containsExactly("stock/write");
    assertThat(api.authorization().scopesOf(api.routes().get(1))).containsExactly("stock/read", "stock/admin");
  }

  @Test
  void parse_shouldRejectAnHttpApi_whenItHasNoAuthorizationOrARouteWithoutScopes() {
    assertThat(problems(VALID + HTTP.replaceAll("(?s)    authorization:.*", "")))
        .singleElement().asString().startsWith("inventory.yaml: http[0].authorization: is required");
    assertThat(problems(VALID + HTTP.replace("\"GET /stock/{sku}\": [stock/read, stock/admin]", "\"GET /stock/{x}\": [stock/read]")))
        .containsExactlyInAnyOrder(
            "inventory.yaml: http[0].authorization.scopes.GET /stock/{x}: is not a route of this API",
            "inventory.yaml: http[0].authorization.scopes.GET /stock/{sku}: must list at least one scope such as orders/read (writing is not reading)");
  }

  @Test
  void parse_shouldRejectScopes_whenTheApiUsesIamAuthorization() {
    assertThat(problems(VALID + HTTP.replace("type: jwt", "type: iam")))
        .containsExactly("inventory.yaml: http[0].authorization.scopes: is for type jwt only: IAM authorization has no scopes");
    ServiceManifest m = ManifestLoader.parse("service.yaml",
        VALID + HTTP.replace("type: jwt", "type: iam").replaceAll("(?s)      scopes:.*", ""), null);
    assertThat(m.http().get(0).authorization().type()).isEqualTo("iam");
  }
}
