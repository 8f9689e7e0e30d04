package com.example.fanout.contract;

import java.util.List;

/**
 * The JVM flags every function is deployed with, as its {@code JAVA_TOOL_OPTIONS}: the function
 * module sets that variable from {@code terraform/contract.json}, and the cold-start bench runs each
 * function's zip with it, as Lambda does (ADR 0121).
 */
public final class JvmOptions {
  /** The variable Lambda's Java runtimes read JVM flags from. */
  public static final String VARIABLE = "JAVA_TOOL_OPTIONS";

  public static final List<String> FLAGS = List.of(
      // C1 only: what the java21 runtime already does, written out so that java25, whose SnapStart
      // functions compile with C2 as well, keeps it (docs/performance.md).
      "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
      // The metaspace size that sets off the first full collection. Left at 21 MB, every cold start
      // paid one (12-23 ms) for the metadata of about 28 MB of classes, which a function never
      // unloads. Without it the heap also grows later, which keeps peak memory lower.
      "-XX:MetaspaceSize=64m",
      // The code cache growth, in % of its reserved size, that sets off a full collection to unload
      // code. Left at 15 %, a consumer whose priming runs its handlers paid one (22-39 ms), in
      // priming or in the first invocation after a restore. The cache still collects when it runs
      // short of space.
      "-XX:SweeperThreshold=50");

  private JvmOptions() {}

  /** {@link #FLAGS} as the variable's value. */
  public static String value() {
    return String.join(" ", FLAGS);
  }
}
