package com.example.fanout.local.iam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The function × action table: what each function (and each schedule's role) called during a run,
 * what its planned role grants, and what is granted but was not called (least privilege: each such action needs a reason).
 */
public final class IamUsage {
  private IamUsage() {}

  public static String table(IamEnforcer enforcer) {
    StringBuilder out = new StringBuilder("| function (or schedule role) | actions used | granted, not used | denied |\n|---|---|---|---|\n");
    Map<String, PlannedRoles.Role> byPrincipal = new TreeMap<>(enforcer.roles().all());
    enforcer.roles().schedules().values().forEach(r -> byPrincipal.put(r.roleName(), r));
    Set<String> functions = new TreeSet<>(byPrincipal.keySet());
    functions.addAll(enforcer.used().keySet());
    for (String fn : functions) {
      Set<String> used = enforcer.used().getOrDefault(fn, Set.of());
      Set<String> granted = new TreeSet<>();
      Optional.ofNullable(byPrincipal.get(fn))
          .ifPresent(r -> r.statements().stream().filter(Statement::allow).forEach(s -> granted.addAll(s.actions())));
      granted.removeAll(used);
      out.append("| ").append(fn).append(" | ").append(join(used)).append(" | ").append(join(granted)).append(" | ")
          .append(join(enforcer.denied().getOrDefault(fn, Set.of()))).append(" |\n");
    }
    return out.toString();
  }

  /** Writes {@link #table} to {@code file} (the local runtime does on close). */
  public static void write(IamEnforcer enforcer, Path file) {
    if (enforcer.mode() == IamMode.OFF) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, table(enforcer));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String join(Set<String> actions) {
    return actions.isEmpty() ? "" : String.join(", ", new TreeSet<>(actions));
  }
}
