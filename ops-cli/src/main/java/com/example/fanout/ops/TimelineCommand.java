package com.example.fanout.ops;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * One order's path across every hop. Locally the runtime's timeline (X-Ray segments and the
 * stand-ins' hops); on AWS the same table from X-Ray: the traces annotated with the correlation id
 * ({@code GetTraceSummaries}), then their segments ({@code BatchGetTraces}).
 */
@Command(name = "timeline", mixinStandardHelpOptions = true,
    description = {"One order's path, hop by hop, by correlation id.", "",
        "Local runtime (FANOUT_LOCAL_CONTROL_URL set): its /_local/timeline. On AWS: X-Ray's traces",
        "annotated correlation_id = <correlationId> (AWS_ENDPOINT_URL_XRAY points elsewhere if set)."})
final class TimelineCommand implements Callable<Integer> {
  @Mixin
  Target target;

  @Mixin
  Output output;

  @Parameters(paramLabel = "<correlationId>")
  String correlationId;

  @Option(names = "--json", hidden = true, description = "same as --output json")
  boolean json;

  @Option(names = "--hours", defaultValue = "3", description = "how far back to search X-Ray on AWS (default ${DEFAULT-VALUE})")
  int hours;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (correlationId.isBlank()) {
      throw new OpsException(Fanout.REFUSED, "the correlation id is empty (a `correlation=` value of fanout dlq inspect,"
          + " or the order id a client reported)");
    }
    boolean asJson = json || output.json();
    var control = target.localControl();
    if (control.isPresent()) {
      String path = "/_local/timeline/" + URLEncoder.encode(correlationId, StandardCharsets.UTF_8).replace("+", "%20")
          + (asJson ? "?format=json" : "");
      out.print(new LocalControl(control.get()).get(path));
      out.flush();
      return 0;
    }
    try (XRayClient xray = target.xray()) {
      XRayTimeline timeline = new XRayTimeline(xray);
      List<XRayTimeline.Row> rows = timeline.rows(correlationId, Duration.ofHours(hours));
      if (asJson) {
        output.printJson(out, rows);
      } else {
        out.print(timeline.render(correlationId, rows));
        if (rows.isEmpty()) {
          out.println("no X-Ray trace annotated correlation_id = \"" + correlationId + "\" in the last " + hours
              + " hours (sampling may have skipped it: its logs carry correlation_id too)");
        }
        out.flush();
      }
    }
    return 0;
  }
}
