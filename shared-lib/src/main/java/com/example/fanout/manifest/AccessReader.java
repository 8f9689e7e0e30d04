package com.example.fanout.manifest;

import com.example.fanout.manifest.ServiceManifest.Access;
import com.example.fanout.manifest.ServiceManifest.FunctionSpec;
import com.example.fanout.manifest.ServiceManifest.Permission;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Reads and checks a function's {@code access} block: the allow-lists of actions a manifest may
 * grant, and the references to the service's own tables, buckets, secrets and event types. Terraform
 * (modules/service, variable {@code manifest}) checks the same allow-lists.
 */
final class AccessReader {
  /** DynamoDB actions a function may hold on one of its service's tables. */
  static final Set<String> TABLE_ACTIONS = Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
      "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem");
  /** S3 object actions a function may hold on one of its service's buckets. */
  static final Set<String> BUCKET_ACTIONS = Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject");
  /** What a manifest may grant that the platform cannot derive, each on exact resources. */
  static final Set<String> PERMISSION_ACTIONS = Set.of("ses:SendEmail", "ses:SendRawEmail", "ssm:GetParameter",
      "ssm:GetParameters");
  static final Pattern SID = Pattern.compile("^[A-Z][A-Za-z0-9]{0,63}$");
  /** An ARN naming one resource: the account and region are the deployment's or literal, never a wildcard. */
  static final Pattern ARN = Pattern.compile(
      "^arn:(\\{partition}|aws[a-z-]*):([a-z0-9-]+):(\\{region}|[a-z0-9-]+):(\\{account}|\\d{12}):[^*?\\s]+$");

  private final BiConsumer<String, String> problem;

  AccessReader(BiConsumer<String, String> problem) {
    this.problem = problem;
  }

  Access read(JsonNode n, String p) {
    if (n == null || n.isNull()) {
      return Access.NONE;
    }
    if (!n.isObject()) {
      problem.accept(p, "must be a mapping: { publishes, tables, buckets, secrets, permissions }");
      return Access.NONE;
    }
    Set<String> allowed = Set.of("publishes", "tables", "buckets", "secrets", "permissions");
    n.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        problem.accept(p + "." + f, "unknown key (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    });
    return new Access(strings(n.get("publishes"), p + ".publishes"), actionsByName(n.get("tables"), p + ".tables", TABLE_ACTIONS),
        actionsByName(n.get("buckets"), p + ".buckets", BUCKET_ACTIONS), strings(n.get("secrets"), p + ".secrets"),
        permissions(n.get("permissions"), p + ".permissions"));
  }

  /** Every name in an access block must be the service's own. */
  void check(ServiceManifest m, Map<String, FunctionSpec> functionsByPath) {
    Set<String> types = new TreeSet<>(m.publishes().stream().map(ServiceManifest.Publication::type).toList());
    Set<String> tables = new TreeSet<>(m.tables().stream().map(ServiceManifest.Table::name).toList());
    Set<String> buckets = new TreeSet<>(m.buckets().stream().map(ServiceManifest.Bucket::name).toList());
    Set<String> secrets = new TreeSet<>(m.secrets());
    functionsByPath.forEach((path, f) -> {
      if (f == null) {
        return;
      }
      String p = path + ".access";
      f.access().publishes().forEach(t -> known(types, t, p + ".publishes", "an event type this service publishes"));
      f.access().tables().keySet().forEach(t -> known(tables, t, p + ".tables." + t, "a table of this service"));
      f.access().buckets().keySet().forEach(b -> known(buckets, b, p + ".buckets." + b, "a bucket of this service"));
      f.access().secrets().forEach(s -> known(secrets, s, p + ".secrets", "a secret listed in the service's secrets"));
    });
  }

  private void known(Set<String> declared, String name, String p, String what) {
    if (!declared.contains(name)) {
      problem.accept(p, "'" + name + "' is not " + what + " (" + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")");
    }
  }

  private List<String> strings(JsonNode n, String p) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      problem.accept(p, "must be a list");
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode v = n.get(i);
      if (!v.isTextual() || v.textValue().isBlank()) {
        problem.accept(p + "[" + i + "]", "must be a non-empty string, was " + v);
      } else if (out.contains(v.textValue())) {
        problem.accept(p + "[" + i + "]", "lists '" + v.textValue() + "' twice");
      } else {
        out.add(v.textValue());
      }
    }
    return out;
  }

  private Map<String, List<String>> actionsByName(JsonNode n, String p, Set<String> allowList) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      problem.accept(p, "must map each name to a list of actions");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      List<String> actions = actions(e.getValue(), p + "." + e.getKey(), allowList);
      if (actions.isEmpty()) {
        problem.accept(p + "." + e.getKey(), "must list at least one action");
      }
      out.put(e.getKey(), actions);
    }
    return out;
  }

  private List<String> actions(JsonNode n, String p, Set<String> allowList) {
    List<String> out = new ArrayList<>();
    for (String action : strings(n, p)) {
      if (allowList.contains(action)) {
        out.add(action);
      } else {
        problem.accept(p, "action '" + action + "' is not allowed here (allowed: " + String.join(", ", new TreeSet<>(allowList))
            + ")" + (action.contains("*") || action.contains("?") ? "; wildcards are never granted" : ""));
      }
    }
    return out;
  }

  private List<Permission> permissions(JsonNode n, String p) {
    List<Permission> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      problem.accept(p, "must be a list of { sid, actions, resources }");
      return out;
    }
    Set<String> sids = new TreeSet<>();
    for (int i = 0; i < n.size(); i++) {
      String pi = p + "[" + i + "]";
      JsonNode e = n.get(i);
      if (!e.isObject()) {
        problem.accept(pi, "must be a mapping { sid, actions, resources }");
        continue;
      }
      e.fieldNames().forEachRemaining(f -> {
        if (!Set.of("sid", "actions", "resources").contains(f)) {
          problem.accept(pi + "." + f, "unknown key (allowed: actions, resources, sid)");
        }
      });
      String sid = e.path("sid").asText("");
      if (!SID.matcher(sid).matches()) {
        problem.accept(pi + ".sid", "is required, PascalCase letters and digits (an IAM statement id), was '" + sid + "'");
      } else if (!sids.add(sid)) {
        problem.accept(pi + ".sid", "duplicate sid '" + sid + "'");
      }
      List<String> actions = actions(e.get("actions"), pi + ".actions", PERMISSION_ACTIONS);
      List<String> resources = strings(e.get("resources"), pi + ".resources");
      if (actions.isEmpty()) {
        problem.accept(pi + ".actions", "must list at least one action");
      }
      if (resources.isEmpty()) {
        problem.accept(pi + ".resources", "must list at least one ARN");
      }
      for (String r : resources) {
        var m = ARN.matcher(r);
        if (!m.matches()) {
          problem.accept(pi + ".resources", "'" + r + "' is not one exact ARN (arn:{partition}:<service>:{region}:{account}:<resource>, no * or ?)");
        } else {
          actions.stream().filter(a -> !a.startsWith(m.group(2) + ":")).forEach(a ->
              problem.accept(pi + ".resources", "'" + r + "' is a " + m.group(2) + " ARN; " + a + " needs a " + a.substring(0, a.indexOf(':')) + " one"));
        }
      }
      out.add(new Permission(sid, actions, resources));
    }
    return out;
  }
}
