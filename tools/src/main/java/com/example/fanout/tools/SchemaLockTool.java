package com.example.fanout.tools;

import java.nio.file.Path;

/** {@code make schemas-lock}: records new schema versions in schemas.lock, then checks every rule. */
public final class SchemaLockTool {
  private SchemaLockTool() {}

  public static void main(String[] args) {
    SchemaGovernance governance = new SchemaGovernance(Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize());
    var added = governance.recordNewVersions();
    added.forEach(f -> System.out.println("recorded " + f));
    if (added.isEmpty()) {
      System.out.println("no new schema versions");
    }
    var problems = governance.check();
    problems.forEach(p -> System.err.println("error: " + p));
    if (!problems.isEmpty()) {
      System.exit(1);
    }
  }
}
