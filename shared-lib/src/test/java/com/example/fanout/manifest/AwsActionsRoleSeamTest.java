package com.example.fanout.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fanout.event.EventJson;
import com.example.fanout.testing.Repo;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The seam between the calls SnapStart priming warms ({@link ServiceManifest#awsActionsOf}, ADR 0119)
 * and the role Terraform applied for each function (the offline apply that {@code make test} runs
 * before the Java tests writes {@code target/terraform/envs/dev/state.json}): the actions of the
 * role's statements that serve the function's own code are exactly those {@code awsActionsOf} lists.
 * A grant Terraform derived that the manifest method does not know would otherwise leave its call
 * out of every snapshot.
 */
class AwsActionsRoleSeamTest {
  private static final Path STATE = Repo.root().resolve("target/terraform/envs/dev/state.json");
  private static final Pattern FUNCTION_POLICY = Pattern.compile(
      "module\\.service\\[\"([^\"]+)\"]\\.module\\.\\w+\\[\"([^\"]+)\"]\\.module\\.function(\\[0])?\\.aws_iam_role_policy\\.this$");
  /**
   * The statements that are not the function's own code's: those every function holds (modules/function),
   * those its trigger's module adds for the service that invokes it (a bucket's handler reading the
   * object it was told of is its own code's), and the runtime's on the idempotency table and claim checks.
   */
  private static final Set<String> NOT_ITS_OWN_CODE = Set.of("WriteOwnLogs", "WriteTraces", "UsePlatformKey",
      "ConsumeOwnQueue", "MovePoisonToOwnDlq", "ReadTableStream", "ListTableStreams", "SendFailuresToDlq",
      "IdempotencyRecords", "PutClaimChecks", "GetClaimChecks");

  @Test
  void everyFunctionsRole_shouldGrantItsOwnCodeExactlyTheCallsItsPrimingWarms() throws Exception {
    Assumptions.assumeTrue(Files.exists(STATE), "no " + STATE + " (make tf-json writes it)");
    Catalog catalog = Catalog.load(Repo.services());
    List<JsonNode> resources = new ArrayList<>();
    collect(EventJson.parse(Files.readString(STATE)).path("values").path("root_module"), resources);

    List<String> checked = new ArrayList<>();
    for (JsonNode policy : resources) {
      Matcher function = FUNCTION_POLICY.matcher(policy.path("address").asText());
      if (!function.find()) {
        continue;
      }
      String service = function.group(1);
      String name = function.group(2);
      SortedSet<String> granted = new TreeSet<>();
      for (JsonNode statement : EventJson.parse(policy.path("values").path("policy").asText()).path("Statement")) {
        if (!NOT_ITS_OWN_CODE.contains(statement.path("Sid").asText())) {
          JsonNode action = statement.path("Action");
          if (action.isArray()) {
            action.forEach(a -> granted.add(a.asText()));
          } else {
            granted.add(action.asText());
          }
        }
      }
      assertThat(granted).as("%s/%s: its role's own statements against what its priming warms", service, name)
          .isEqualTo(catalog.requireService(service).awsActionsOf(name));
      checked.add(service + "/" + name);
    }

    List<String> functions = catalog.services().stream()
        .flatMap(m -> m.functions().keySet().stream().map(name -> m.service() + "/" + name)).toList();
    assertThat(checked).as("every function of the catalog has its role in the state").containsExactlyInAnyOrderElementsOf(functions);
  }

  private static void collect(JsonNode module, List<JsonNode> out) {
    module.path("resources").forEach(out::add);
    module.path("child_modules").forEach(child -> collect(child, out));
  }
}
