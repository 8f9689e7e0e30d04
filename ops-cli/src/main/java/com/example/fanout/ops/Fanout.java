package com.example.fanout.ops;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fanout}: the command on-call and producers use. Every subcommand talks to AWS through the
 * SDK's default configuration (region, credentials, {@code AWS_ENDPOINT_URL[_<SERVICE>]}), so the
 * same command runs against an account and against the local runtime ({@code make run}).
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, usageHelpWidth = 110, version = "fanout ops-cli 0.1.0",
    description = "Queues, DLQs, timelines, replay, publishing, the event catalog and scheduled jobs for the fan-out platform.",
    subcommands = {QueuesCommand.class, DlqCommand.class, TimelineCommand.class, ReplayCommand.class,
        PublishCommand.class, CatalogCommand.class, SchedulesCommand.class, TokenCommand.class, AlarmsCommand.class,
        CommandLine.HelpCommand.class})
public final class Fanout implements Runnable {
  /** Exit code for a refused operation (wrong queue, nothing to do that was asked for, bad input). */
  public static final int REFUSED = 2;
  /** Exit code for an operation that started but did not finish in time or failed on the AWS side. */
  public static final int FAILED = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    // Before the first logger: the shared library's JSON layout is for functions, not for a terminal.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "fanout-logback.xml");
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line with the given output streams and environment; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> environment) {
    return Target.withEnvironment(environment, () -> run(args, out, err));
  }

  /** Runs one command line with the given output streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Fanout());
    cli.setOut(out);
    cli.setErr(err);
    cli.setUsageHelpWidth(110);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof OpsException ops) {
        commandLine.getErr().println("fanout: " + ops.getMessage());
        return ops.exitCode();
      }
      if (e instanceof software.amazon.awssdk.core.exception.SdkException sdk) {
        commandLine.getErr().println("fanout: " + sdk.getMessage()
            + (sdk.getMessage() != null && sdk.getMessage().contains("region") ? " (set AWS_REGION)" : ""));
        return FAILED;
      }
      commandLine.getErr().println("fanout: " + e);
      return FAILED;
    });
    return cli.execute(args);
  }
}
