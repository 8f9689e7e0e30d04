package com.example.fanout.local.iam;

import com.example.fanout.event.EventJson;
import com.example.fanout.local.iam.Statement.Condition;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every function's execution role as Terraform plans it, read from {@code terraform show -json}
 * output (a saved plan's {@code planned_values} or a state's {@code values}): in each module holding
 * an {@code aws_lambda_function}, the statements of its {@code aws_iam_role_policy} (the rendered
 * {@code policy} JSON), or, where the plan left that unknown, of the {@code aws_iam_policy_document}
 * data source it renders.
 *
 * <p>Each schedule's role too: in each module holding an {@code aws_scheduler_schedule}, the role its
 * target names and the rendered {@code policy} of that role's {@code aws_iam_role_policy}, which
 * EventBridge Scheduler uses to invoke the target and to write the schedule's DLQ.
 *
 * <p>The JSON is that of a deployed environment ({@code dev}); {@link #forLocal} moves every name and
 * ARN to the local one: the environment prefix of each resource name, the account and the region.
 */
public final class PlannedRoles {
  /**
   * @param function the function whose execution role it is, or the schedule whose role it is
   * @param statements of the role's inline policies
   */
  public record Role(String function, String roleName, List<Statement> statements) {
    public Role {
      statements = List.copyOf(statements);
    }

    public String sessionArn(String account) {
      return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + function;
    }
  }

  private final Map<String, Role> byFunction;
  private final Map<String, Role> bySchedule;
  private final Path source;

  private PlannedRoles(Map<String, Role> byFunction, Map<String, Role> bySchedule, Path source) {
    this.byFunction = Map.copyOf(byFunction);
    this.bySchedule = Map.copyOf(bySchedule);
    this.source = source;
  }

  /** Roles given directly (tests: a planned role with one statement removed). */
  public static PlannedRoles of(Map<String, Role> byFunction) {
    return new PlannedRoles(byFunction, Map.of(), Path.of("(given)"));
  }

  public static PlannedRoles none() {
    return new PlannedRoles(Map.of(), Map.of(), null);
  }

  /**
   * Reads {@code file} and renames what it plans for environment {@code plannedEnv} to {@code localEnv}
   * in {@code account} and {@code region}.
   */
  public static PlannedRoles forLocal(Path file, String plannedEnv, String localEnv, String account, String region) {
    JsonNode root;
    try {
      root = EventJson.mapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Terraform JSON " + file, e);
    }
    JsonNode module = root.has("planned_values") ? root.path("planned_values").path("root_module") : root.path("values").path("root_module");
    if (module.isMissingNode()) {
      throw new IllegalArgumentException(file + " is not `terraform show -json` output (no values.root_module or planned_values.root_module)");
    }
    Map<String, List<JsonNode>> byModule = new LinkedHashMap<>();
    collect(module, byModule);
    Renamer rename = Renamer.of(byModule, plannedEnv, localEnv, account, region);
    Map<String, Role> roles = new LinkedHashMap<>();
    byModule.forEach((address, resources) -> find(resources, "managed", "aws_lambda_function").ifPresent(fn -> {
      String function = rename.apply(fn.path("values").path("function_name").asText());
      String roleArn = fn.path("values").path("role").asText("");
      String roleName = roleArn.contains("/") ? rename.apply(roleArn.substring(roleArn.lastIndexOf('/') + 1)) : function + "-role";
      List<Statement> statements = new ArrayList<>();
      resources.stream().filter(r -> "aws_iam_role_policy".equals(r.path("type").asText())).forEach(policy -> {
        String text = policy.path("values").path("policy").asText("");
        if (text.startsWith("{")) {
          statements.addAll(fromPolicyJson(EventJson.parse(rename.apply(text)), policy.path("address").asText()));
        } else {
          // Unknown until apply: the policy document data source holds the same statements.
          resources.stream().filter(r -> "data".equals(r.path("mode").asText()) && "aws_iam_policy_document".equals(r.path("type").asText())
                  && !"assume".equals(r.path("name").asText()))
              .forEach(doc -> statements.addAll(fromDocument(EventJson.parse(rename.apply(EventJson.write(doc.path("values")))))));
        }
      });
      roles.put(function, new Role(function, roleName, statements));
    }));
    Map<String, Role> schedules = new LinkedHashMap<>();
    byModule.forEach((address, resources) -> find(resources, "managed", "aws_scheduler_schedule")
        .flatMap(schedule -> scheduleRole(schedule, resources, rename)).ifPresent(role -> schedules.put(role.function(), role)));
    return new PlannedRoles(roles, schedules, file);
  }

  /**
   * The role {@code schedule}'s target names, with its policies; none while the plan leaves a policy
   * or the role it belongs to unknown (known only after apply), so that the schedule is not checked
   * rather than refused everything.
   */
  private static Optional<Role> scheduleRole(JsonNode schedule, List<JsonNode> resources, Renamer rename) {
    String name = rename.apply(schedule.path("values").path("name").asText());
    String roleArn = schedule.path("values").path("target").path(0).path("role_arn").asText("");
    String roleName = roleArn.contains("/") ? rename.apply(roleArn.substring(roleArn.lastIndexOf('/') + 1))
        : find(resources, "managed", "aws_iam_role").map(r -> rename.apply(r.path("values").path("name").asText())).orElse("");
    List<Statement> statements = new ArrayList<>();
    for (JsonNode policy : resources) {
      if (!"aws_iam_role_policy".equals(policy.path("type").asText())) {
        continue;
      }
      String role = policy.path("values").path("role").asText("");
      String text = policy.path("values").path("policy").asText("");
      if (role.isEmpty() || roleName.equals(rename.apply(role)) && !text.startsWith("{")) {
        return Optional.empty();
      }
      if (roleName.equals(rename.apply(role))) {
        statements.addAll(fromPolicyJson(EventJson.parse(rename.apply(text)), policy.path("address").asText()));
      }
    }
    return Optional.of(new Role(name, roleName, statements));
  }

  public Optional<Role> role(String function) {
    return Optional.ofNullable(byFunction.get(function));
  }

  public Map<String, Role> all() {
    return byFunction;
  }

  /** The role EventBridge Scheduler assumes for {@code schedule}, by the schedule's name. */
  public Optional<Role> scheduleRole(String schedule) {
    return Optional.ofNullable(bySchedule.get(schedule));
  }

  /** Every schedule's role, by the schedule's name. */
  public Map<String, Role> schedules() {
    return bySchedule;
  }

  /** The file the roles came from; null when there is none. */
  public Path source() {
    return source;
  }

  private static void collect(JsonNode module, Map<String, List<JsonNode>> byModule) {
    String address = module.path("address").asText("");
    for (JsonNode r : module.path("resources")) {
      byModule.computeIfAbsent(address, k -> new ArrayList<>()).add(r);
    }
    for (JsonNode child : module.path("child_modules")) {
      collect(child, byModule);
    }
  }

  private static Optional<JsonNode> find(List<JsonNode> resources, String mode, String type) {
    return resources.stream().filter(r -> mode.equals(r.path("mode").asText()) && type.equals(r.path("type").asText())).findFirst();
  }

  /** An IAM policy document: {@code Statement} is one object or a list; Action/Resource a string or a list. */
  static List<Statement> fromPolicyJson(JsonNode policy, String where) {
    List<Statement> out = new ArrayList<>();
    JsonNode statements = policy.path("Statement");
    for (JsonNode s : statements.isArray() ? statements : List.of(statements)) {
      if (s.has("NotAction") || s.has("NotResource") || s.has("Principal")) {
        throw new IllegalArgumentException(where + ": NotAction, NotResource and Principal are not evaluated by the local runtime");
      }
      List<Condition> conditions = new ArrayList<>();
      s.path("Condition").properties().forEach(op -> op.getValue().properties().forEach(key ->
          conditions.add(new Condition(op.getKey(), key.getKey(), strings(key.getValue())))));
      out.add(new Statement(s.path("Sid").asText(""), !"Deny".equals(s.path("Effect").asText()), strings(s.path("Action")),
          strings(s.path("Resource")), conditions));
    }
    return out;
  }

  /** The arguments of an {@code aws_iam_policy_document} data source. */
  static List<Statement> fromDocument(JsonNode values) {
    List<Statement> out = new ArrayList<>();
    for (JsonNode s : values.path("statement")) {
      List<Condition> conditions = new ArrayList<>();
      for (JsonNode c : s.path("condition")) {
        conditions.add(new Condition(c.path("test").asText(), c.path("variable").asText(), strings(c.path("values"))));
      }
      out.add(new Statement(s.path("sid").asText(""), !"Deny".equals(s.path("effect").asText("Allow")), strings(s.path("actions")),
          strings(s.path("resources")), conditions));
    }
    return out;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.textValue());
    } else {
      n.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  /** Moves names and ARNs from the planned environment, account and region to the local ones. */
  private record Renamer(Pattern envPrefix, String localEnv, String plannedAccount, String account, String plannedRegion, String region) {
    static Renamer of(Map<String, List<JsonNode>> byModule, String plannedEnv, String localEnv, String account, String region) {
      String plannedAccount = null;
      String plannedRegion = null;
      for (List<JsonNode> resources : byModule.values()) {
        for (JsonNode r : resources) {
          if ("aws_caller_identity".equals(r.path("type").asText()) && r.path("values").hasNonNull("account_id")) {
            plannedAccount = r.path("values").path("account_id").asText();
          }
          if ("aws_region".equals(r.path("type").asText())) {
            JsonNode v = r.path("values");
            plannedRegion = v.hasNonNull("region") ? v.path("region").asText() : v.hasNonNull("name") ? v.path("name").asText() : plannedRegion;
          }
        }
      }
      return new Renamer(Pattern.compile("(^|[:/\"])" + Pattern.quote(plannedEnv) + "-"), localEnv, plannedAccount, account, plannedRegion, region);
    }

    String apply(String text) {
      String out = envPrefix.matcher(text).replaceAll("$1" + localEnv + "-");
      if (plannedAccount != null) {
        out = out.replace(plannedAccount, account);
      }
      if (plannedRegion != null) {
        out = out.replace(":" + plannedRegion + ":", ":" + region + ":");
      }
      return out;
    }
  }
}
